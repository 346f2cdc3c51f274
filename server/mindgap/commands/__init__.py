"""One module per `mindgap` command, each with `run(args) -> exit code`.

cli.py imports a command's module only when that command runs, so that `mindgap quiz`
does not load what `learn` needs. Nothing else imports from here: the engine never depends
on a command.
"""
