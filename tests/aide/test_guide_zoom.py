"""On a phone a guide's screenshot is shrunk to a third: each one links to the full-size image."""

import pytest

from aide.guides import GUIDES

pytestmark = pytest.mark.django_db


def test_every_screenshot_links_to_its_full_size_image(client):
    for guide in GUIDES:
        html = client.get(f"/aide/{guide.slug}/").content.decode()
        for index, step in enumerate(guide.steps, start=1):
            if step.shot:
                image = f"/static/aide/{guide.slug}-{index}.png"
                assert f'<a href="{image}" class="d-inline-block">' in html
                assert f'src="{image}"' in html
        if any(step.shot for step in guide.steps):
            assert "Touchez l'image pour l'agrandir." in html.replace("&#x27;", "'")
