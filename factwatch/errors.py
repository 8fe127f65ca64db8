"""Configuration errors raised deep down and turned into messages by the CLI."""


class TaskRunnerUnavailable(RuntimeError):
    """FACTWATCH_TASK_RUNNER is unknown, or names a runner whose package is not installed."""
