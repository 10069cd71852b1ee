"""Production traceability benchmark (``bin/qc bench --only trace``).

Seeds manufacturing orders with set-based SQL, in units of two: order G/n makes
gasket lot BG-n from a rubber lot, order K/n assembles kettle lot BK-n from BG-n
and an element lot. Each rubber and element lot is received from a vendor and
feeds 50 units, as a finite batch of raw material does. Every order has a work
order and a time log. The same kettle lot BK-0 is traced on 200 orders and again
after the database grows to 20,000 orders.
"""

import statistics
import time

UNITS_PER_RAW_LOT = 50

SEED_SQL = """
WITH units AS (
    SELECT n FROM generate_series(%(start)s, %(stop)s - 1) AS n
), raw_lots AS (
    INSERT INTO stock_lot (name, product_id, company_id,
                           create_uid, create_date, write_uid, write_date)
    SELECT kind.prefix || k, kind.product, %(company)s, 1, %(now)s, 1, %(now)s
      FROM generate_series(%(start)s / %(per_lot)s, (%(stop)s - 1) / %(per_lot)s) AS k,
           (VALUES ('BR-', %(rubber)s), ('BE-', %(element)s)) AS kind(prefix, product)
    RETURNING id, product_id, name
), receipts AS (
    INSERT INTO stock_move (product_id, product_uom, product_uom_qty, quantity, state,
                            location_id, location_dest_id, company_id, date,
                            procure_method, reference,
                            create_uid, create_date, write_uid, write_date)
    SELECT product_id, %(uom)s, 1000, 1000, 'done', %(supplier)s, %(stock)s, %(company)s,
           %(now)s, 'make_to_stock', 'BENCH/IN/' || name, 1, %(now)s, 1, %(now)s
      FROM raw_lots
    RETURNING id, product_id, reference
), receipt_lines AS (
    INSERT INTO stock_move_line (move_id, product_id, lot_id, quantity,
                                 quantity_product_uom, state, location_id,
                                 location_dest_id, company_id, product_uom_id, date,
                                 create_uid, create_date, write_uid, write_date)
    SELECT receipts.id, receipts.product_id, raw_lots.id, 1000, 1000, 'done',
           %(supplier)s, %(stock)s, %(company)s, %(uom)s, %(now)s, 1, %(now)s, 1, %(now)s
      FROM receipts JOIN raw_lots ON 'BENCH/IN/' || raw_lots.name = receipts.reference
), made_lots AS (
    INSERT INTO stock_lot (name, product_id, company_id,
                           create_uid, create_date, write_uid, write_date)
    SELECT kind.prefix || n, kind.product, %(company)s, 1, %(now)s, 1, %(now)s
      FROM units,
           (VALUES ('BG-', %(gasket)s), ('BK-', %(kettle)s)) AS kind(prefix, product)
    RETURNING id, product_id, name
)
INSERT INTO mrp_production (name, product_id, product_qty, qty_producing, product_uom_id,
                            picking_type_id, location_src_id, location_dest_id,
                            company_id, state, consumption, date_start, date_finished,
                            user_id, create_uid, create_date, write_uid, write_date)
SELECT 'BENCH/' || made_lots.name, made_lots.product_id, 1, 1, %(uom)s, %(picking_type)s,
       %(stock)s, %(stock)s, %(company)s, 'done', 'flexible', %(now)s, %(now)s, 2,
       1, %(now)s, 1, %(now)s
  FROM made_lots
"""

# Moves, lines, lots produced, work orders and time logs of the orders of SEED_SQL.
LINK_SQL = [
    """
    INSERT INTO mrp_production_stock_lot_rel (mrp_production_id, stock_lot_id)
    SELECT mp.id, lot.id
      FROM mrp_production mp
      JOIN stock_lot lot ON lot.product_id = mp.product_id AND 'BENCH/' || lot.name = mp.name
     WHERE mp.id > %(last_mo)s
    """,
    # finished move and line: the order makes its lot
    """
    WITH finished AS (
        INSERT INTO stock_move (production_id, product_id, product_uom, product_uom_qty,
                                quantity, state, location_id, location_dest_id, company_id,
                                date, procure_method, reference,
                                create_uid, create_date, write_uid, write_date)
        SELECT mp.id, mp.product_id, %(uom)s, 1, 1, 'done', %(production)s, %(stock)s,
               %(company)s, %(now)s, 'make_to_stock', mp.name, 1, %(now)s, 1, %(now)s
          FROM mrp_production mp WHERE mp.id > %(last_mo)s
        RETURNING id, production_id, product_id
    )
    INSERT INTO stock_move_line (move_id, product_id, lot_id, quantity, quantity_product_uom,
                                 state, location_id, location_dest_id, company_id,
                                 product_uom_id, date,
                                 create_uid, create_date, write_uid, write_date)
    SELECT finished.id, finished.product_id, rel.stock_lot_id, 1, 1, 'done', %(production)s,
           %(stock)s, %(company)s, %(uom)s, %(now)s, 1, %(now)s, 1, %(now)s
      FROM finished
      JOIN mrp_production_stock_lot_rel rel ON rel.mrp_production_id = finished.production_id
    """,
    # component moves and lines: G/n consumes a rubber lot, K/n gasket BG-n and an element lot
    """
    WITH lots AS MATERIALIZED (  -- hashed by name, not looked up one by one
        SELECT id, name, product_id FROM stock_lot
         WHERE product_id IN (%(rubber)s, %(element)s, %(gasket)s)
    ), needs AS (
        SELECT nextval('stock_move_id_seq') AS move_id, mp.id AS production_id,
               lot.product_id, lot.id AS lot_id, mp.name
          FROM mrp_production mp
          CROSS JOIN LATERAL (
                SELECT split_part(mp.name, '-', 2)::int AS n,
                       split_part(split_part(mp.name, '/', 2), '-', 1) AS kind
          ) unit
          CROSS JOIN LATERAL (
                VALUES (CASE unit.kind WHEN 'BG' THEN 'BR-' || unit.n / %(per_lot)s
                                       ELSE 'BG-' || unit.n END),
                       (CASE unit.kind WHEN 'BK' THEN 'BE-' || unit.n / %(per_lot)s END)
          ) AS wanted(name)
          JOIN lots lot ON lot.name = wanted.name
         WHERE mp.id > %(last_mo)s
    ), raw AS (
        INSERT INTO stock_move (id, raw_material_production_id, product_id, product_uom,
                                product_uom_qty, quantity, state, location_id,
                                location_dest_id, company_id, date, procure_method, reference,
                                create_uid, create_date, write_uid, write_date)
        SELECT move_id, production_id, product_id, %(uom)s, 1, 1, 'done', %(stock)s,
               %(production)s, %(company)s, %(now)s, 'make_to_stock', name,
               1, %(now)s, 1, %(now)s
          FROM needs
    )
    INSERT INTO stock_move_line (move_id, product_id, lot_id, quantity, quantity_product_uom,
                                 state, location_id, location_dest_id, company_id,
                                 product_uom_id, date,
                                 create_uid, create_date, write_uid, write_date)
    SELECT move_id, product_id, lot_id, 1, 1, 'done', %(stock)s,
           %(production)s, %(company)s, %(uom)s, %(now)s, 1, %(now)s, 1, %(now)s
      FROM needs
    """,
    """
    WITH workorders AS (
        INSERT INTO mrp_workorder (name, production_id, workcenter_id, state,
                                   create_uid, create_date, write_uid, write_date)
        SELECT 'Make', mp.id, %(workcenter)s, 'done', 1, %(now)s, 1, %(now)s
          FROM mrp_production mp WHERE mp.id > %(last_mo)s
        RETURNING id
    )
    INSERT INTO mrp_workcenter_productivity (workorder_id, workcenter_id, company_id, loss_id,
                                             user_id, date_start, date_end,
                                             create_uid, create_date, write_uid, write_date)
    SELECT id, %(workcenter)s, %(company)s, %(loss)s, 2, %(now)s, %(now)s,
           1, %(now)s, 1, %(now)s
      FROM workorders
    """,
]


def setup_products(env):
    Product = env["product.product"]
    tracked = {"type": "consu", "is_storable": True, "tracking": "lot"}
    products = {
        key: Product.create({"name": f"Bench {key}", **tracked}).id
        for key in ("rubber", "element", "gasket", "kettle")
    }
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    workcenter = env["mrp.workcenter"].create({"name": "Bench line"})
    loss = env["mrp.workcenter.productivity.loss"].search([("loss_type", "=", "productive")])
    production = env["stock.location"].search(
        [("usage", "=", "production"), ("company_id", "in", [env.company.id, False])], limit=1
    )
    return {
        **products,
        "company": env.company.id,
        "uom": env.ref("uom.product_uom_unit").id,
        "stock": warehouse.lot_stock_id.id,
        "supplier": env.ref("stock.stock_location_suppliers").id,
        "production": production.id,
        "picking_type": warehouse.manu_type_id.id,
        "workcenter": workcenter.id,
        "loss": loss[:1].id,
        "per_lot": UNITS_PER_RAW_LOT,
    }


def seed_orders(env, params, start, stop, vacuum):
    """Manufacturing orders for units [start, stop): two orders per unit.

    ``vacuum(tables)`` runs VACUUM ANALYZE on them (outside the transaction), so that
    the planner knows the new rows and autovacuum does not run during the timings.
    """
    cr = env.cr
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM mrp_production")
    params = {**params, "start": start, "stop": stop, "last_mo": cr.fetchone()[0]}
    params["now"] = env.cr.now()
    for query in [SEED_SQL, *LINK_SQL]:
        cr.execute(query, params)
    cr.commit()  # a scratch database: committed so that VACUUM ANALYZE sees the orders
    vacuum(
        "stock_lot, stock_move, stock_move_line, mrp_production, mrp_production_stock_lot_rel,"
        " mrp_workorder, mrp_workcenter_productivity"
    )
    env.invalidate_all()
    cr.execute("SELECT count(*) FROM mrp_production")
    return cr.fetchone()[0]


SPEC = {
    "qc_production_ids": {
        "fields": {
            "level": {},
            "production_ref": {},
            "product_id": {"fields": {"display_name": {}}},
            "date_finished": {},
            "workcenter_names": {},
            "user_id": {"fields": {"display_name": {}}},
            "operator_names": {},
            "component_product_id": {"fields": {"display_name": {}}},
            "component_lot_id": {"fields": {"display_name": {}}},
            "component_vendor_id": {"fields": {"display_name": {}}},
            "component_qty": {},
        }
    }
}


def time_lot_tab(env, lot_name, repeat=15, rounds=3):
    """Time of the lot form's production tab, read as the administrator: the best of
    ``rounds`` medians of ``repeat`` reads (the machine may be shared)."""
    user = env.ref("base.user_admin")
    lot = env["stock.lot"].search([("name", "=", lot_name)]).with_user(user)
    rows = lot.web_read(SPEC)[0]["qc_production_ids"]  # warm the caches
    medians = []
    for _round in range(rounds):
        timings = []
        for _i in range(repeat):
            env.invalidate_all()
            start = time.perf_counter()
            lot.web_read(SPEC)
            timings.append(time.perf_counter() - start)
        medians.append(statistics.median(timings))
    return min(medians), rows


def bench_trace(env, vacuum, small=200, large=20000):
    """Return result lines: the tab of one lot on ``small`` then ``large`` orders."""
    params = setup_products(env)
    admin = env.ref("base.user_admin")
    admin.group_ids |= env.ref("quality_complaint.group_complaint_user")
    count = seed_orders(env, params, 0, small // 2, vacuum)
    small_time, rows = time_lot_tab(env, "BK-0")
    start = time.perf_counter()
    count_large = seed_orders(env, params, small // 2, large // 2, vacuum)
    print(
        f"[bench] seeded {count_large - count} more manufacturing orders"
        f" in {time.perf_counter() - start:.1f} s",
        flush=True,
    )
    large_time, rows_large = time_lot_tab(env, "BK-0")
    assert rows == rows_large, "the lot's rows changed when the database grew"
    return [
        (
            f"Production tab of one lot ({len(rows)} rows), {count} manufacturing orders",
            f"{small_time * 1000:.1f} ms",
            "<= 50 ms",
        ),
        (
            f"Same lot, {count_large} manufacturing orders",
            f"{large_time * 1000:.1f} ms",
            "<= 50 ms",
        ),
        (
            "Ratio large / small database",
            f"{large_time / small_time:.2f}",
            "<= 1.5",
        ),
    ]
