"""A system administrator resets someone's second factor (a lost phone and no recovery codes):
their authenticator app and recovery codes are removed and, at their next sign-in, they set up a
new app with their password. Audited with the reason given."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import render

from . import services
from .forms import SecondFactorResetForm


def second_factor_reset(request):
    form = SecondFactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        person = get_user_model().objects.filter(username=username).first()
        if person is None:
            form.add_error("username", f"There is no Grip user with the username {username}")
        else:
            try:
                services.second_factor_reset(
                    user=person, reason=form.cleaned_data["reason"], by=request.user, request=request
                )
            except ValidationError as error:
                for field, messages in error_fields(error).items():
                    for message in messages:
                        form.add_error(field, message)
            else:
                return render(request, "accounts/second_factor_reset_done.html", {"person": person})
    return render(request, "accounts/second_factor_reset.html", {"form": form})


def error_fields(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"username": error.messages}
