"""Recovery codes: signing in with one instead of the authenticator app's code, and getting a new
set (which needs a code from the app)."""

from django.shortcuts import redirect, render
from django_otp import login as otp_login

from . import services
from .forms import CodeForm, RecoveryCodeForm
from .selectors import second_factor_of
from .two_factor import checked, safe_next, show_recovery_codes, wait_message

WRONG_RECOVERY_CODE = "That recovery code is not right, or it has already been used"


def recovery_sign_in(request):
    """Enter a recovery code instead of a code from the authenticator app (each code works once)."""
    if getattr(request.user, "is_verified", lambda: False)():
        return redirect(safe_next(request))
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        recovery_codes = second_factor_of(request.user).recovery_codes
        allowed, details = recovery_codes.verify_is_allowed() if recovery_codes else (True, None)
        used = allowed and services.recovery_code_use(
            user=request.user, code=form.cleaned_data["code"], request=request
        )
        if used:
            otp_login(request, used)
            context = {"codes_left": used.codes_left(), "next": safe_next(request)}
            return render(request, "accounts/recovery_code_used.html", context)
        form.add_error("code", WRONG_RECOVERY_CODE if allowed else wait_message(details))
    return render(request, "accounts/recovery_code_enter.html", {"form": form, "next": safe_next(request)})


def recovery_codes(request):
    """How many recovery codes are left, and a new set for a code from the authenticator app."""
    state = second_factor_of(request.user)
    form = CodeForm(request.POST or None)
    wrong = "That code is not right. Enter the code your authenticator app shows now"
    if (
        request.method == "POST"
        and state.authenticator is not None
        and form.is_valid()
        and checked(form, "code", state.authenticator, form.cleaned_data["code"], wrong)
    ):
        codes = services.recovery_codes_regenerate(user=request.user, request=request)
        return show_recovery_codes(request, codes, first=False, next_url=safe_next(request))
    context = {"form": form, "state": state, "next": safe_next(request)}
    return render(request, "accounts/recovery_codes.html", context)
