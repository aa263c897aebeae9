"""Password validators with Chinese messages.

Django's Chinese catalogue lacks the plural forms of the minimum-length
messages, so they would show in English; the rule itself is Django's.
"""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"
