"""The employer's creation flow: which steps exist, which are done, where to resume."""

from .enums import WIZARD_STEPS, AttachmentKind, WizardStep


def step_status(dossier):
    """{step: done} for every step of the flow, from the dossier's data."""
    candidate = dossier.candidate
    has_diploma = any(a.kind == AttachmentKind.DIPLOMA for a in dossier.attachments.all())
    return {
        WizardStep.CERTIFICATION: True,
        WizardStep.SCHEME: dossier.training_scheme_id is not None,
        WizardStep.CANDIDATE: candidate is not None,
        WizardStep.DIPLOMAS: candidate is not None
        and (not candidate.declares_diploma or has_diploma),
        # The provider is optional (« le cas échéant »): the step is done once seen.
        WizardStep.PROVIDER: candidate is not None,
        WizardStep.ASSESSOR: dossier.assessor_confirmed_at is not None,
        WizardStep.REVIEW: False,
    }


def resume_step(dossier):
    status = step_status(dossier)
    for step in WIZARD_STEPS:
        if not status[step]:
            return step
    return WizardStep.REVIEW


def next_step(step):
    index = WIZARD_STEPS.index(step)
    return WIZARD_STEPS[min(index + 1, len(WIZARD_STEPS) - 1)]


def previous_step(step):
    index = WIZARD_STEPS.index(step)
    return WIZARD_STEPS[index - 1] if index > 0 else None
