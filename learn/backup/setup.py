"""Wire the backup commands into the app."""

ORDER = 95


def init_app(app) -> None:
    from learn.backup.commands import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
