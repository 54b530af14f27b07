# ender import alembic: the Python half (docs/coming-from-alembic.md). Run by the ender command
# with the Python that has the project's Alembic, in the directory of alembic.ini:
#     python3 alembic_driver.py ALEMBIC_INI OUTPUT_JSON
# It reads the revisions through Alembic's ScriptDirectory and runs the project's env.py in
# offline mode (as "alembic upgrade A:B --sql" and "alembic downgrade B:A --sql" do), one
# revision per step, with markers around each step's own SQL: what Alembic writes outside them
# (BEGIN/COMMIT, alembic_version's CREATE/INSERT/UPDATE/DELETE/DROP, "-- Running ..." comments)
# is its bookkeeping, and is left out. A step whose Python fails offline (data code that reads
# the database) is recorded with its error and the SQL it emitted before failing.
# The result is one JSON document in OUTPUT_JSON (stdout belongs to env.py).
import inspect
import io
import json
import os
import sys
import traceback

BEGIN = "-- ender-import:begin "
END = "-- ender-import:end"


def main(ini, output):
    from alembic import __version__ as alembic_version
    from alembic.config import Config
    from alembic.runtime import migration
    from alembic.runtime.environment import EnvironmentContext
    from alembic.script import ScriptDirectory

    buffer = io.StringIO()
    config = Config(ini, output_buffer=buffer)
    script = ScriptDirectory.from_config(config)
    found = list(script.walk_revisions())
    found.reverse()
    by_id = {r.revision: r for r in found}

    def parents_of(r):
        return list(r._versioned_down_revisions)

    def dependencies_of(r):
        return list(getattr(r, "_resolved_dependencies", ()) or ())

    # Parents and dependencies before their children; otherwise Alembic's own order.
    order, placed = [], set()
    while len(order) < len(found):
        progressed = False
        for r in found:
            if r.revision in placed:
                continue
            if all(p in placed or p not in by_id for p in parents_of(r) + dependencies_of(r)):
                order.append(r)
                placed.add(r.revision)
                progressed = True
        if not progressed:
            raise RuntimeError("the Alembic revisions form a cycle")

    failures = {}

    class Step:
        # An Alembic migration step whose SQL is fenced by markers in the output.
        def __init__(self, step, key, context):
            self._step, self._key, self._context = step, key, context

        def __getattr__(self, name):
            return getattr(self._step, name)

        def migration_fn(self, **kw):
            self._context.impl.static_output(BEGIN + self._key)
            try:
                self._step.migration_fn(**kw)
            except Exception as e:  # noqa: BLE001 - any failure of the revision's own code
                failures[self._key] = "".join(
                    traceback.format_exception_only(type(e), e)).strip()
            self._context.impl.static_output(END)

    # The version table's rows are bookkeeping, written outside the markers anyway; not
    # maintaining them keeps Alembic from checking the heads of steps run out of their order.
    if hasattr(migration, "HeadMaintainer"):
        migration.HeadMaintainer.update_to_step = lambda self, step: None

    def run(upgrade):
        def steps(heads, context):
            make = (migration.MigrationStep.upgrade_from_script if upgrade
                    else migration.MigrationStep.downgrade_from_script)
            revisions = order if upgrade else list(reversed(order))
            return [Step(make(script.revision_map, r),
                         ("upgrade " if upgrade else "downgrade ") + r.revision, context)
                    for r in revisions]

        with EnvironmentContext(config, script, fn=steps, as_sql=True, starting_rev=None,
                                destination_rev="heads"):
            script.run_env()

    run(True)
    run(False)

    # The SQL between each pair of markers.
    sections, key, lines = {}, None, []
    for line in buffer.getvalue().split("\n"):
        if line.startswith(BEGIN):
            key, lines = line[len(BEGIN):].strip(), []
        elif line.startswith(END) and key is not None:
            sections[key] = lines
            key = None
        elif key is not None:
            lines.append(line)

    def section(name, r):
        k = name + " " + r.revision
        lines = sections.get(k, [])
        # autocommit_block() writes COMMIT; ... BEGIN; around its statements: ender runs a
        # revision in one transaction, so they are left out and the revision noted.
        autocommit = False
        kept = []
        for i, line in enumerate(lines):
            alone = ((i == 0 or not lines[i - 1].strip())
                     and (i + 1 == len(lines) or not lines[i + 1].strip()))
            if alone and line.strip() in ("BEGIN;", "COMMIT;"):
                autocommit = True
                continue
            kept.append(line)
        sql = "\n".join(kept).strip("\n")
        while "\n\n\n" in sql:
            sql = sql.replace("\n\n\n", "\n\n")
        source = None
        fn = getattr(r.module, name, None)
        if fn is not None:
            try:
                source = inspect.getsource(fn)
            except (OSError, TypeError):
                source = None
        return {"sql": sql, "error": failures.get(k), "autocommit": autocommit,
                "source": source}

    revisions = []
    for r in order:
        # The revision's own labels: branch_labels also holds those its ancestors carry.
        own = (r._orig_branch_labels if hasattr(r, "_orig_branch_labels")
               else r.branch_labels)
        labels = sorted(own or ())
        path = r.path
        try:
            path = os.path.relpath(r.path)
        except ValueError:
            pass
        revisions.append({
            "revision": r.revision,
            "parents": parents_of(r),
            "depends_on": dependencies_of(r),
            "branch_labels": labels,
            "message": (r.doc or "").strip(),
            "path": path,
            "upgrade": section("upgrade", r),
            "downgrade": section("downgrade", r),
        })
    return {"alembic": alembic_version, "versions": os.path.relpath(script.versions),
            "revisions": revisions}


if __name__ == "__main__":
    ini, output = sys.argv[1], sys.argv[2]
    try:
        result = main(ini, output)
    except Exception:  # noqa: BLE001 - reported to the ender command
        result = {"error": traceback.format_exc()}
    with open(output, "w", encoding="utf-8") as out:
        json.dump(result, out)
