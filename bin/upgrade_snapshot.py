"""Record what an upgrade must keep, and compare two records of it.

    upgrade_snapshot.py snap ODOO_CONF DB OUT.json
    upgrade_snapshot.py compare BEFORE.json AFTER.json [--removed MODULE]...

``snap`` reads the database with psycopg2 (no Odoo). Our models are those named
``quality.complaint*`` or defined by a ``quality_complaint*`` module (whichever
addon of ours holds them now: nothing here names the addon of a model); with
``helpdesk.ticket`` (complaints only) and ``stock.lot`` they are read whole, table
by table (SQL views and transient models excluded): the ids of the records, for
each stored many2one (and many2one_reference / reference) column the (id, target)
pairs, for every other stored column its values; for each stored many2many the
pairs of its relation table; the ids of the attachments, messages, activities and
followers of those records; the external ids of our modules on those records (by
name, whatever module of ours holds them). Besides: the values of the stored
fields our modules add to other models (company settings, stages, teams, repair
orders...); the constraints and indexes our modules declare (``ir.model.constraint``,
and whether PostgreSQL still has them) and the foreign keys of our tables; our
configuration records (``NAMED_MODELS``: scheduled actions, mail templates,
activity types, groups and their members, sequences, helpdesk stages and teams) by
external id name, with their database id; the ids of the manufacturing orders.
Not recorded: what an update legitimately rewrites (``write_date``, ``write_uid``)
and binary columns. Within one database the id is the record's key: a record an
update deletes and recreates counts as lost (its links, messages and history are).

``compare`` prints, record by record, what AFTER lost from BEFORE: records
missing, links changed or dropped, values changed or emptied, relation pairs gone,
attachments, messages, activities, followers gone, external ids gone, constraints
or indexes dropped, configuration records gone, recreated (a new id) or
deactivated, group members gone. Tables and fields are matched by table and field
name, never by the module that owns them, so a model or field moved to another
addon is compared with itself. What is new in AFTER is printed as information.
Exit status 1 on any loss. ``--removed MODULE``: MODULE was uninstalled between
the two records; what only it owned (its models, fields, records with its external
ids, constraints, configuration records) may go.
"""

import argparse
import configparser
import json
import sys
from collections import defaultdict

# columns an update legitimately rewrites
SKIPPED_COLUMNS = {"write_uid", "write_date"}
# types compared by their pairs (links) or not at all (no column, or a blob)
LINK_TYPES = ("many2one", "many2one_reference", "reference")
NO_VALUE_TYPES = ("many2many", "one2many", "binary")
# tables read whole besides ours, and their row filter
EXTRA_MODELS = {"helpdesk.ticket": "is_quality_complaint", "stock.lot": None}
# tables whose ids only are kept (others' records our modules must not touch)
IDS_ONLY = {"mrp_production": "mrp.production"}
OUR_MODULES = "quality\\_complaint%"
# configuration records of our modules compared by external id name
NAMED_MODELS = (
    "ir.cron",
    "mail.template",
    "mail.activity.type",
    "res.groups",
    "ir.sequence",
    "helpdesk.ticket.stage",
    "helpdesk.ticket.team",
)


def connect(conf, db):
    import psycopg2  # noqa: PLC0415 - only `snap` needs it

    parser = configparser.ConfigParser()
    parser.read(conf)
    options = parser["options"]
    kw = {
        key: options[f"db_{key}"]
        for key in ("host", "port", "user", "password")
        if options.get(f"db_{key}")
    }
    return psycopg2.connect(dbname=db, **kw)


def table_exists(cr, table, kinds=("r",)):
    cr.execute(
        "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relname = %s AND c.relkind = ANY(%s)",
        (table, list(kinds)),
    )
    return bool(cr.fetchone())


def columns_of(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = %s",
        (table,),
    )
    return {name for (name,) in cr.fetchall()}


def owners(cr, model):
    """{res_id: [modules]} of the external ids on records of ``model``."""
    cr.execute(
        "SELECT res_id, array_agg(DISTINCT module ORDER BY module) FROM ir_model_data"
        " WHERE model = %s GROUP BY res_id",
        (model,),
    )
    return dict(cr.fetchall())


def snap(conf, db):
    from psycopg2 import sql  # noqa: PLC0415

    cr = connect(conf, db).cursor()
    cr.execute(
        # every module that defines or extends a model has its external id: ours are
        # those only our modules have
        "SELECT m.id, m.model FROM ir_model m WHERE NOT m.transient AND ("
        " m.model LIKE 'quality.complaint%%' OR m.model = ANY(%s) OR ("
        "  SELECT bool_and(d.module LIKE %s) FROM ir_model_data d"
        "   WHERE d.model = 'ir.model' AND d.res_id = m.id)) ORDER BY m.model",
        (list(EXTRA_MODELS), OUR_MODULES),
    )
    models = cr.fetchall()
    model_owners = owners(cr, "ir.model")
    field_owners = owners(cr, "ir.model.fields")
    data = {
        "tables": {},
        "m2m": {},
        "attached": {},
        "xmlids": {},
        "named": {},
        "ids_only": {},
        "foreign": {},
        "constraints": {},
        "foreign_keys": {},
    }
    record_ids = {}
    for model_id, model in models:
        table = model.replace(".", "_")
        if not table_exists(cr, table):
            continue  # an SQL view (a report) or a model without table
        condition = EXTRA_MODELS.get(model)
        where = sql.SQL(" WHERE {}").format(sql.Identifier(condition)) if condition else sql.SQL("")
        columns = columns_of(cr, table)
        cr.execute(
            "SELECT id, name, ttype, relation_table, column1, column2 FROM ir_model_fields"
            " WHERE model = %s AND store ORDER BY name",
            (model,),
        )
        fields = cr.fetchall()
        links = [
            (fid, name, ttype)
            for fid, name, ttype, *_ in fields
            if ttype in LINK_TYPES and name in columns and name not in SKIPPED_COLUMNS
        ]
        plain = [
            (fid, name)
            for fid, name, ttype, *_ in fields
            if ttype not in LINK_TYPES + NO_VALUE_TYPES
            and name in columns
            and name not in SKIPPED_COLUMNS | {"id"}
        ]
        select = [sql.Identifier("id")]
        for _fid, name, ttype in links:
            if ttype == "many2one_reference" and "res_model" in columns:
                select.append(
                    sql.SQL("{} || ',' || {}").format(
                        sql.Identifier("res_model"), sql.Identifier(name)
                    )
                )
            else:
                select.append(sql.Identifier(name))
        # values as PostgreSQL prints them (jsonb normalised): comparable as text
        select += [sql.SQL("{}::text").format(sql.Identifier(name)) for _fid, name in plain]
        cr.execute(
            sql.SQL("SELECT {} FROM {}{} ORDER BY id").format(
                sql.SQL(", ").join(select), sql.Identifier(table), where
            )
        )
        rows = cr.fetchall()
        ids = [row[0] for row in rows]
        record_ids[model] = ids
        data["tables"][table] = {
            "model": model,
            "owners": model_owners.get(model_id, []),
            "ids": ids,
            "links": {
                name: {
                    "owners": field_owners.get(fid, []),
                    "pairs": [[row[0], row[i]] for row in rows if row[i] is not None],
                }
                for i, (fid, name, _ttype) in enumerate(links, start=1)
            },
            "values": {
                name: {
                    "owners": field_owners.get(fid, []),
                    "values": [[row[0], row[i]] for row in rows if row[i] is not None],
                }
                for i, (fid, name) in enumerate(plain, start=1 + len(links))
            },
        }
        for fid, name, ttype, relation, column1, column2 in fields:
            if ttype != "many2many" or not relation or not table_exists(cr, relation):
                continue
            cols = columns_of(cr, relation)
            if column1 not in cols or column2 not in cols:
                continue
            first, second = sorted((column1, column2))
            cr.execute(
                sql.SQL("SELECT {}, {} FROM {} WHERE {} = ANY(%s)").format(
                    sql.Identifier(first),
                    sql.Identifier(second),
                    sql.Identifier(relation),
                    sql.Identifier(column1),
                ),
                (ids,),
            )
            entry = data["m2m"].setdefault(
                relation, {"columns": [first, second], "fields": {}, "pairs": set()}
            )
            entry["fields"][f"{model}.{name}"] = field_owners.get(fid, [])
            entry["pairs"].update(map(tuple, cr.fetchall()))
    for entry in data["m2m"].values():
        entry["pairs"] = sorted(entry["pairs"])
    snap_foreign(cr, data, field_owners)
    snap_constraints(cr, data)

    # what hangs on our records by (res_model, res_id)
    for table, res_model in (
        ("ir_attachment", "res_model"),
        ("mail_message", "model"),
        ("mail_activity", "res_model"),
        ("mail_followers", "res_model"),
    ):
        per_model = {}
        for model, ids in record_ids.items():
            if model == "stock.lot":
                continue
            cr.execute(
                sql.SQL(
                    "SELECT id, res_id FROM {} WHERE {} = %s AND res_id = ANY(%s) ORDER BY id"
                ).format(sql.Identifier(table), sql.Identifier(res_model)),
                (model, ids),
            )
            found = [list(row) for row in cr.fetchall()]
            if found:
                per_model[model] = found
        data["attached"][table] = per_model

    # external ids of our modules on our records: name -> [[res_id, module]]
    for model in record_ids:
        cr.execute(
            "SELECT name, res_id, module FROM ir_model_data WHERE model = %s AND module LIKE %s"
            " ORDER BY name, res_id",
            (model, OUR_MODULES),
        )
        names = defaultdict(list)
        for name, res_id, module in cr.fetchall():
            names[name].append([res_id, module])
        if names:
            data["xmlids"][model] = dict(names)

    # our configuration records, by external id name: a record recreated under a new
    # id loses what users changed on it (and, for a group, its members)
    for model in NAMED_MODELS:
        table = model.replace(".", "_")
        if not table_exists(cr, table):
            continue
        active = "active" in columns_of(cr, table)
        cr.execute(
            sql.SQL(
                "SELECT d.name, d.module, r.id, {} FROM ir_model_data d"
                " JOIN {} r ON r.id = d.res_id WHERE d.model = %s AND d.module LIKE %s"
            ).format(sql.SQL("r.active") if active else sql.SQL("true"), sql.Identifier(table)),
            (model, OUR_MODULES),
        )
        data["named"][model] = {
            name: {"module": module, "id": res_id, "active": is_active}
            for name, module, res_id, is_active in cr.fetchall()
        }
    if table_exists(cr, "res_groups_users_rel"):
        for entry in data["named"].get("res.groups", {}).values():
            cr.execute(
                "SELECT uid FROM res_groups_users_rel WHERE gid = %s ORDER BY uid", (entry["id"],)
            )
            entry["members"] = [row[0] for row in cr.fetchall()]

    for table, _model in IDS_ONLY.items():
        if table_exists(cr, table):
            cr.execute(sql.SQL("SELECT id FROM {} ORDER BY id").format(sql.Identifier(table)))
            data["ids_only"][table] = [row[0] for row in cr.fetchall()]
    return data


def snap_foreign(cr, data, field_owners):
    """The values of the stored fields our modules add to others' models, by table
    and column: ``{"table.column": {"owners": [...], "values": [[id, text]]}}``."""
    from psycopg2 import sql  # noqa: PLC0415

    ours = {t["model"] for t in data["tables"].values()}
    cr.execute(
        "SELECT DISTINCT f.id, f.model, f.name FROM ir_model_fields f"
        " JOIN ir_model m ON m.id = f.model_id AND NOT m.transient"
        " JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id"
        " WHERE d.module LIKE %s AND f.store AND f.name != 'id' AND f.ttype != ALL(%s)"
        " AND f.model != ALL(%s) ORDER BY f.model, f.name",
        (OUR_MODULES, list(NO_VALUE_TYPES), list(ours)),
    )
    for fid, model, name in cr.fetchall():
        table = model.replace(".", "_")
        if not table_exists(cr, table) or name not in columns_of(cr, table):
            continue
        cr.execute(
            sql.SQL("SELECT id, {}::text FROM {} WHERE {} IS NOT NULL ORDER BY id").format(
                sql.Identifier(name), sql.Identifier(table), sql.Identifier(name)
            )
        )
        data["foreign"][f"{table}.{name}"] = {
            "model": model,
            "owners": field_owners.get(fid, []),
            "values": [list(row) for row in cr.fetchall()],
        }


def snap_constraints(cr, data):
    """The constraints and indexes our modules declare, by name, with whether
    PostgreSQL has them; the foreign keys of our tables."""
    cr.execute(
        "SELECT c.name, c.type, mm.name, m.model,"
        " EXISTS (SELECT 1 FROM pg_constraint p WHERE p.conname = c.name)"
        " OR EXISTS (SELECT 1 FROM pg_class i WHERE i.relname = c.name AND i.relkind = 'i')"
        " FROM ir_model_constraint c JOIN ir_module_module mm ON mm.id = c.module"
        " JOIN ir_model m ON m.id = c.model WHERE mm.name LIKE %s AND c.type != 'f'",
        (OUR_MODULES,),
    )
    for name, kind, module, model, exists in cr.fetchall():
        data["constraints"][name] = {
            "type": kind,
            "module": module,
            "model": model,
            "exists": exists,
        }
    cr.execute(
        "SELECT p.conname, r.relname, a.attname FROM pg_constraint p"
        " JOIN pg_class r ON r.oid = p.conrelid"
        " JOIN pg_attribute a ON a.attrelid = p.conrelid AND a.attnum = p.conkey[1]"
        " WHERE p.contype = 'f' AND r.relname = ANY(%s)",
        (list(data["tables"]),),
    )
    for name, table, column in cr.fetchall():
        data["foreign_keys"][name] = f"{table}.{column}"


def few(values, most=12):
    values = sorted(values, key=str)
    shown = ", ".join(map(str, values[:most]))
    return shown + (f", ... ({len(values) - most} more)" if len(values) > most else "")


def compare(before, after, removed):
    """Print the losses from ``before`` to ``after``; return how many."""
    removed = set(removed)
    losses = []
    news = []

    def gone_with_removed(modules):
        return bool(modules) and set(modules) <= removed

    # records of our models owned by a removed module (its data) may go
    removed_records = defaultdict(set)
    for model, names in before["xmlids"].items():
        by_record = defaultdict(set)
        for pairs in names.values():
            for res_id, module in pairs:
                by_record[res_id].add(module)
        removed_records[model] = {
            res_id for res_id, modules in by_record.items() if modules <= removed
        }

    for table, old in before["tables"].items():
        new = after["tables"].get(table)
        if gone_with_removed(old["owners"]):
            continue
        if new is None:
            losses.append(
                f"{table} ({old['model']}): the table is gone with its {len(old['ids'])} records"
            )
            continue
        missing = set(old["ids"]) - set(new["ids"]) - removed_records[old["model"]]
        if missing:
            losses.append(
                f"{table}: {len(missing)} of {len(old['ids'])} records missing: ids {few(missing)}"
            )
        added = set(new["ids"]) - set(old["ids"])
        if added:
            news.append(f"{table}: {len(added)} new records: ids {few(added)}")
        kept = set(old["ids"]) & set(new["ids"])
        for column, link in old["links"].items():
            if gone_with_removed(link["owners"]):
                continue
            old_pairs = {i: t for i, t in link["pairs"] if i in kept}
            if column not in new["links"]:
                if old_pairs:
                    losses.append(
                        f"{table}.{column}: the field is gone, {len(old_pairs)} links lost"
                        f" (e.g. {few(f'{i} -> {t}' for i, t in old_pairs.items())})"
                    )
                continue
            new_pairs = dict(map(tuple, new["links"][column]["pairs"]))
            changed = [
                f"{i}: {t} -> {new_pairs.get(i, 'NULL')}"
                for i, t in old_pairs.items()
                if new_pairs.get(i) != t
            ]
            if changed:
                losses.append(
                    f"{table}.{column}: {len(changed)} links changed or dropped: {few(changed)}"
                )
            filled = [
                f"{i}: NULL -> {t}"
                for i, t in new_pairs.items()
                if i in kept and i not in old_pairs
            ]
            if filled:
                news.append(f"{table}.{column}: {len(filled)} links set: {few(filled)}")
        for column, values in old.get("values", {}).items():
            lost, added = compare_values(
                f"{table}.{column}",
                values,
                new.get("values", {}).get(column),
                kept,
                gone_with_removed,
            )
            losses += lost
            news += added

    for key, values in before.get("foreign", {}).items():
        new = after.get("foreign", {}).get(key)
        kept = {i for i, _v in values["values"]}
        lost, added = compare_values(key, values, new, kept, gone_with_removed)
        losses += lost
        news += added

    for name, old in before.get("constraints", {}).items():
        new = after.get("constraints", {}).get(name)
        if old["module"] in removed or not old["exists"]:
            continue
        if new is None or not new["exists"]:
            losses.append(
                f"{old['model']}: the {'index' if old['type'] == 'i' else 'constraint'} {name}"
                f" ({old['module']}) is gone{' from PostgreSQL' if new else ''}"
            )
        elif new["module"] != old["module"]:
            news.append(f"constraint {name}: moved from {old['module']} to {new['module']}")
    after_columns = {
        f"{table}.{column}"
        for table, t in after["tables"].items()
        for column in (*t["links"], *t.get("values", {}))
    }
    for name, column in before.get("foreign_keys", {}).items():
        if name not in after.get("foreign_keys", {}) and column in after_columns:
            losses.append(f"{column}: its foreign key {name} is gone")

    for relation, old in before["m2m"].items():
        if all(gone_with_removed(modules) for modules in old["fields"].values()):
            continue
        new = after["m2m"].get(relation)
        old_pairs = set(map(tuple, old["pairs"]))
        new_pairs = set(map(tuple, new["pairs"])) if new else set()
        if new is None and old_pairs:
            losses.append(
                f"{relation} (many2many {', '.join(old['fields'])}): gone with its"
                f" {len(old_pairs)} pairs"
            )
            continue
        lost = old_pairs - new_pairs
        if lost:
            losses.append(
                f"{relation} {tuple(old['columns'])}: {len(lost)} of {len(old_pairs)} pairs"
                f" missing: {few(lost)}"
            )

    tables_by_model = {old["model"]: old for old in before["tables"].values()}
    after_ids = {t["model"]: set(t["ids"]) for t in after["tables"].values()}
    for table, per_model in before["attached"].items():
        for model, pairs in per_model.items():
            if gone_with_removed(tables_by_model.get(model, {}).get("owners")):
                continue
            kept = {i for i, _res_id in after["attached"].get(table, {}).get(model, [])}
            lost = {i: res_id for i, res_id in pairs if i not in kept}
            if not lost:
                continue
            orphans = {res_id for res_id in lost.values() if res_id not in after_ids.get(model, ())}
            on_gone = f" (with their records {few(orphans)}, missing)" if orphans else ""
            losses.append(
                f"{table} of {model}: {len(lost)} of {len(pairs)} missing: ids {few(lost)}{on_gone}"
            )

    for model, names in before["xmlids"].items():
        new_names = after["xmlids"].get(model, {})
        for name, pairs in names.items():
            new_ids = {res_id for res_id, _module in new_names.get(name, [])}
            for res_id, module in pairs:
                if module in removed:
                    continue
                if res_id not in new_ids:
                    now = few(f"{m}.{name} = {i}" for i, m in new_names.get(name, [])) or "none"
                    losses.append(
                        f"external id {module}.{name} ({model}, id {res_id}): gone (now: {now})"
                    )

    for model, names in before["named"].items():
        new_names = after["named"].get(model, {})
        for name, old in names.items():
            if old["module"] in removed:
                continue
            new = new_names.get(name)
            if new is None:
                losses.append(f"{model} {old['module']}.{name} (id {old['id']}): gone")
            elif new["id"] != old["id"]:
                losses.append(
                    f"{model} {name}: recreated (id {old['id']} -> {new['id']} in"
                    f" {new['module']}); what users changed on it is lost"
                )
            elif old["active"] and not new["active"]:
                losses.append(f"{model} {name} (id {old['id']}): no longer active")
            elif set(old.get("members", [])) - set(new.get("members", [])):
                lost = set(old["members"]) - set(new.get("members", []))
                losses.append(f"{model} {name}: {len(lost)} members lost: users {few(lost)}")
            elif new["module"] != old["module"]:
                news.append(f"{model} {name}: moved from {old['module']} to {new['module']}")

    for table, ids in before["ids_only"].items():
        lost = set(ids) - set(after["ids_only"].get(table, []))
        if lost:
            losses.append(f"{table}: {len(lost)} of {len(ids)} records missing: ids {few(lost)}")

    for line in news:
        print(f"[snapshot] new: {line}")
    for line in losses:
        print(f"[snapshot] LOST: {line}")
    return len(losses)


def compare_values(what, old, new, kept, gone_with_removed):
    """Values of one column, ``old``/``new`` ``{"owners", "values": [[id, text]]}``, of
    the records ``kept``: (losses, news)."""
    losses, news = [], []
    if gone_with_removed(old["owners"]):
        return losses, news
    old_values = {i: v for i, v in old["values"] if i in kept}
    if new is None:
        if old_values:
            losses.append(
                f"{what}: the field is gone, {len(old_values)} values lost"
                f" (e.g. {few(f'{i}: {short(v)}' for i, v in old_values.items())})"
            )
        return losses, news
    new_values = dict(map(tuple, new["values"]))
    changed = [
        f"{i}: {short(v)} -> {short(new_values.get(i))}"
        for i, v in old_values.items()
        if new_values.get(i) != v
    ]
    if changed:
        losses.append(f"{what}: {len(changed)} values changed or emptied: {few(changed, 5)}")
    filled = [i for i in new_values if i in kept and i not in old_values]
    if filled:
        news.append(f"{what}: {len(filled)} values set: ids {few(filled)}")
    return losses, news


def short(value, most=60):
    if value is None:
        return "NULL"
    return repr(value if len(value) <= most else value[:most] + "...")


def summary(data):
    counts = {table: len(t["ids"]) for table, t in data["tables"].items()}
    links = sum(len(link["pairs"]) for t in data["tables"].values() for link in t["links"].values())
    pairs = sum(len(m["pairs"]) for m in data["m2m"].values())
    values = sum(
        len(v["values"]) for t in data["tables"].values() for v in t.get("values", {}).values()
    )
    foreign = sum(len(v["values"]) for v in data.get("foreign", {}).values())
    attached = {
        table: sum(map(len, per_model.values())) for table, per_model in data["attached"].items()
    }
    return (
        f"{sum(counts.values())} records in {len(counts)} tables, {links} many2one links,"
        f" {values} values, {pairs} many2many pairs, {foreign} values of our fields on"
        f" {len({key.split('.')[0] for key in data.get('foreign', {})})} other tables,"
        f" {len(data.get('constraints', {}))} constraints and indexes,"
        f" {len(data.get('foreign_keys', {}))} foreign keys, "
        + ", ".join(f"{n} {table}" for table, n in attached.items())
        + f", {sum(map(len, data['xmlids'].values()))} external ids, "
        + ", ".join(f"{len(v)} {model}" for model, v in data["named"].items())
    )


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_snap = sub.add_parser("snap")
    p_snap.add_argument("conf")
    p_snap.add_argument("db")
    p_snap.add_argument("out")
    p_cmp = sub.add_parser("compare")
    p_cmp.add_argument("before")
    p_cmp.add_argument("after")
    p_cmp.add_argument("--removed", action="append", default=[])
    args = parser.parse_args(argv)
    if args.command == "snap":
        data = snap(args.conf, args.db)
        with open(args.out, "w") as f:
            json.dump(data, f, indent=0, sort_keys=True)
        print(f"[snapshot] {args.db}: {summary(data)}")
        return 0
    with open(args.before) as f:
        before = json.load(f)
    with open(args.after) as f:
        after = json.load(f)
    lost = compare(before, after, args.removed)
    if lost:
        print(f"[snapshot] {lost} loss(es) from {args.before} to {args.after}")
        return 1
    print(f"[snapshot] nothing lost: {summary(after)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
