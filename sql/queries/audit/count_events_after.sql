SELECT count(*) FROM audit.events WHERE (txid, id) > ($1::xid8, $2::bigint)
