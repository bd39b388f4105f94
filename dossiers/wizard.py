"""The employer's creation flow: which steps exist, which are done, where to resume."""

from .enums import WIZARD_STEPS, AttachmentKind, WizardStep


def step_status(dossier):
    """{step: done} for every step of the flow, from the dossier's data."""
    candidate = dossier.candidate
    has_diploma = any(a.kind == AttachmentKind.DIPLOMA for a in dossier.attachments.all())
    assessor_done = dossier.assessor_confirmed_at is not None
    # The optional steps count as done once the employer went past them (a provider or an
    # assessor chosen, as in a duplicate), never merely because the candidate step was saved.
    provider_done = candidate is not None and (
        dossier.provider_id is not None or dossier.assessor_id is not None
    )
    diplomas_done = candidate is not None and (
        has_diploma if candidate.declares_diploma else (has_diploma or provider_done)
    )
    return {
        WizardStep.CERTIFICATION: True,
        WizardStep.SCHEME: dossier.training_scheme_id is not None,
        WizardStep.CANDIDATE: candidate is not None,
        WizardStep.DIPLOMAS: diplomas_done,
        WizardStep.PROVIDER: provider_done,
        WizardStep.ASSESSOR: assessor_done,
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
