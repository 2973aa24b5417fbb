-- One undecided row per lot ($3, a text[]) of application ($1, $2) by provider $4.
INSERT INTO providers.lot_decisions (covenant_id, application_id, lot_id, kvk_number)
SELECT $1, $2, lot, $4 FROM unnest($3::text[]) AS lot
