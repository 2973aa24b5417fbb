SELECT c.covenant_id FROM covenants.covenants c WHERE c.covenant_id = $1 FOR UPDATE
