"""The task runner the pipeline flow runs on, from settings.

One machine: Prefect's default thread pool (parse windows use their own spawn pool, since
threads do not speed up CPU-bound parsing). Past one machine: Prefect's DaskTaskRunner,
either on an existing scheduler (`JIXIAO_DASK_ADDRESS`) or a temporary LocalCluster. The Dask
extra is imported only when asked for, so a single-machine install does not need it.
"""

from __future__ import annotations

from prefect.context import FlowRunContext
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows.settings import Settings


class DaskUnavailable(RuntimeError):
    """JIXIAO_TASK_RUNNER=dask without the dask extra installed."""


def pipeline_task_runner(settings: Settings) -> TaskRunner:
    if settings.task_runner != "dask":
        return ThreadPoolTaskRunner()
    try:
        from prefect_dask import DaskTaskRunner  # noqa: PLC0415 - optional extra
    except ImportError as exc:
        raise DaskUnavailable(
            "JIXIAO_TASK_RUNNER=dask needs the dask extra: `uv sync --extra dask` "
            "(or pip install 'jixiao-warehouse[dask]')"
        ) from exc
    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    return DaskTaskRunner(
        cluster_kwargs={"n_workers": settings.workers, "threads_per_worker": 1, "processes": True}
    )


def on_distributed_runner() -> bool:
    """Whether the running flow has a runner other than the local thread pool (DaskTaskRunner,
    given by settings or by `with_options`): then batches are submitted to it."""
    context = FlowRunContext.get()
    return context is not None and not isinstance(context.task_runner, ThreadPoolTaskRunner)
