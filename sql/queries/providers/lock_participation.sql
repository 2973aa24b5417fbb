SELECT etag FROM providers.participations
WHERE covenant_id = $1 AND kvk_number = $2 AND lot_id = $3 FOR UPDATE
