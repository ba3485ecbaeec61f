"""The demo mandates (ACC-5): loaded once, restored on a second load, and giving their contexts."""

import pytest
from django.utils import timezone

from onedoor.access.contexts import contexts_for
from onedoor.access.models import Mandate
from onedoor.access.testing import person_user
from onedoor.demo.mandates import load_mandates

pytestmark = pytest.mark.django_db

ANNA, EDGARS, LIGA, BALTIJAS = "32871452034", "25018614627", "30088813564", "40003119424"


def test_the_demo_mandates_load_once_and_give_their_contexts(demo_catalog: None) -> None:
    assert load_mandates() == 2
    Mandate.objects.filter(reference="M-DEMO0001").update(revoked_at=timezone.now())
    assert load_mandates() == 2
    assert Mandate.objects.count() == 2
    assert Mandate.objects.get(reference="M-DEMO0001").revoked_at is None
    now = timezone.now()
    edgars = [c for c in contexts_for(person_user(EDGARS), at=now) if c.mandate_id]
    assert [(c.key, c.mandate_id, c.service_codes) for c in edgars] == [(LIGA, "M-DEMO0001", frozenset({"2012"}))]
    anna = [c for c in contexts_for(person_user(ANNA), at=now) if c.mandate_id]
    assert [(c.key, c.mandate_id, c.may_act) for c in anna] == [(BALTIJAS, "M-DEMO0002", False)]
