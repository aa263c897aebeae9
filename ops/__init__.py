"""Operations tools that run beside the portal, not inside it (backups)."""
