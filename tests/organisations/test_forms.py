import pytest

from organisations.forms import Form, MultipleRowsField
from organisations.models import Organisation
from tests import factories


class ChooseOrganisations(Form):
    organisations = MultipleRowsField(queryset=Organisation.objects.all())


@pytest.mark.django_db
@pytest.mark.parametrize("posted", ["9" * 30, "-1", "1e3", "0x1f"])
def test_an_id_no_row_can_have_is_refused_next_to_the_field(posted):
    factories.OrganisationFactory()
    form = ChooseOrganisations(data={"organisations": [posted]})
    assert not form.is_valid()
    assert form.errors["organisations"] == [f"“{posted[:20]}” is not a valid value."]


@pytest.mark.django_db
def test_rows_chosen_by_their_ids_are_found():
    chosen = factories.OrganisationFactory()
    factories.OrganisationFactory()
    form = ChooseOrganisations(data={"organisations": [str(chosen.pk)]})
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["organisations"]) == [chosen]
