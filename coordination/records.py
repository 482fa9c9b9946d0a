"""Small helpers shared by the areas' rules."""


def apply_changes(record, fields: dict) -> list[str]:
    """Set `fields` on `record` (blank text becomes None); returns the names that changed."""
    changed = []
    for key, value in fields.items():
        if isinstance(value, str):
            value = value.strip() or None
        if getattr(record, key) != value:
            setattr(record, key, value)
            changed.append(key)
    return changed
