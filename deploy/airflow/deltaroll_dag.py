"""deltaroll daily at 18:00 Chicago time as an Airflow DAG (Airflow 2.4+: `schedule`).

Copy to the dags folder, with `deltaroll` on the workers' PATH and
/etc/deltaroll/deltaroll.toml (deploy/deltaroll.toml) beside it. The key is the Airflow
Variable `databento_api_key`, read when the task runs (a template), never when the file is
parsed. `check` runs first: a refused key (exit 3) or an unreachable gateway (4) fails it,
and `run` is not started. Each run writes its metrics for node_exporter's textfile collector.
"""

import datetime

import pendulum
from airflow import DAG
from airflow.operators.bash import BashOperator

CONFIG = "--config /etc/deltaroll/deltaroll.toml"
METRICS = "--metrics-file /var/lib/node_exporter/textfile_collector/deltaroll.prom"
# BashOperator's env is templated; append_env keeps the worker's PATH.
ENV = {"DATABENTO_API_KEY": "{{ var.value.databento_api_key }}"}

with DAG(
    dag_id="deltaroll_daily",
    schedule="0 18 * * *",
    start_date=pendulum.datetime(2025, 1, 1, tz="America/Chicago"),
    catchup=False,  # each run ends yesterday by itself; no backfill runs
    max_active_runs=1,  # never two runs on one cache and output
    default_args={"retries": 1, "retry_delay": datetime.timedelta(minutes=15)},
    tags=["deltaroll"],
) as dag:
    check = BashOperator(
        task_id="check",
        bash_command=f"deltaroll check {CONFIG} {METRICS}",
        env=ENV,
        append_env=True,
    )
    run = BashOperator(
        task_id="run",
        bash_command=f"deltaroll {CONFIG} {METRICS}",
        env=ENV,
        append_env=True,
        execution_timeout=datetime.timedelta(hours=1),
    )
    check >> run
