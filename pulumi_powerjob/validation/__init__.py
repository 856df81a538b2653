"""Offline checks of what the PowerJob server would reject, with field-and-rule messages."""
