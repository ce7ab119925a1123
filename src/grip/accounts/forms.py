from django import forms

from .models import RECOVERY_CODE_ALPHABET, RECOVERY_CODE_LENGTH, normalised_recovery_code


def six_digits(text: str) -> str | None:
    code = "".join(text.split())
    return code if code.isascii() and code.isdigit() and len(code) == 6 else None


def recovery_code(text: str) -> str | None:
    code = normalised_recovery_code(text)
    ok = len(code) == RECOVERY_CODE_LENGTH and all(ch in RECOVERY_CODE_ALPHABET for ch in code)
    return code if ok else None


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self) -> str:
        code = six_digits(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError("Enter the code as 6 digits, like 123456")
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(label="Recovery code", error_messages={"required": "Enter one of your recovery codes"})

    def clean_code(self) -> str:
        code = recovery_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError("Enter a recovery code as 10 letters and numbers, like abcde-23456")
        return code


class NewAppForm(forms.Form):
    """Replacing the authenticator app: proof of the second factor, then a code from the new app."""

    proof = forms.CharField(
        label="Code from your current authenticator app, or a recovery code",
        error_messages={"required": "Enter a code from your current authenticator app, or one of your recovery codes"},
    )
    code = forms.CharField(
        label="Code from the new authenticator app",
        error_messages={"required": "Enter the 6-digit code your new authenticator app shows"},
    )

    def clean_proof(self) -> tuple[str, str]:
        text = self.cleaned_data["proof"]
        if (code := six_digits(text)) is not None:
            return ("authenticator app", code)
        if (code := recovery_code(text)) is not None:
            return ("recovery code", code)
        raise forms.ValidationError(
            "Enter 6 digits from your current authenticator app, like 123456, or a recovery code, like abcde-23456"
        )

    def clean_code(self) -> str:
        code = six_digits(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError("Enter the code from the new app as 6 digits, like 123456")
        return code


class SecondFactorResetForm(forms.Form):
    username = forms.CharField(
        label="Their Grip username", max_length=150, error_messages={"required": "Enter the person's Grip username"}
    )
    reason = forms.CharField(
        label="Why are you resetting it?",
        max_length=500,
        widget=forms.Textarea,
        error_messages={"required": "Say why you are resetting their second factor"},
    )
