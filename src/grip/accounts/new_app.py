"""Setting up a new authenticator app in place of the old one (a new phone, a lost one).

The password alone is never enough: the person enters a code from the current app or one of their
recovery codes. Without either, a system administrator resets their second factor (grip.accounts.reset)."""

from django.shortcuts import render
from django_otp import login as otp_login

from . import services
from .forms import NewAppForm
from .recovery import WRONG_RECOVERY_CODE
from .selectors import second_factor_of
from .two_factor import PENDING_SESSION_KEY, checked, pending_device, qr_code_svg, safe_next, secret_text, wait_message


def new_app(request):
    state = second_factor_of(request.user)
    if state.may_set_up_with_password:
        return render(request, "accounts/new_app_not_needed.html", {"next": safe_next(request)})
    device = pending_device(request)
    form = NewAppForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wrong_new = "That code is not right. Enter the code the new app shows now"
        # The new app's code first: a recovery code is used up once checked.
        if checked(form, "code", device, form.cleaned_data["code"], wrong_new) and proved(request, form, state):
            proved_with = form.cleaned_data["proof"][0]
            services.authenticator_replace(
                user=request.user, new_device=device, proved_with=proved_with, request=request
            )
            request.session.pop(PENDING_SESSION_KEY, None)
            device.confirmed = True
            otp_login(request, device)
            context = {"codes_left": second_factor_of(request.user).codes_left, "next": safe_next(request)}
            return render(request, "accounts/new_app_done.html", context)
    context = {
        "form": form,
        "state": state,
        "next": safe_next(request),
        "qr_code": qr_code_svg(device.config_url),
        "secret": secret_text(device),
    }
    return render(request, "accounts/new_app.html", context)


def proved(request, form, state) -> bool:
    """Whether the proof is a right code from the current app or an unused recovery code."""
    how, code = form.cleaned_data["proof"]
    if how == "authenticator app":
        if state.authenticator is None:
            form.add_error("proof", "Your authenticator app has been removed. Enter one of your recovery codes")
            return False
        wrong = "That code is not right. Enter the code your current authenticator app shows now"
        return checked(form, "proof", state.authenticator, code, wrong)
    allowed, details = state.recovery_codes.verify_is_allowed() if state.recovery_codes else (True, None)
    if allowed and services.recovery_code_use(user=request.user, code=code, request=request):
        return True
    form.add_error("proof", WRONG_RECOVERY_CODE if allowed else wait_message(details))
    return False
