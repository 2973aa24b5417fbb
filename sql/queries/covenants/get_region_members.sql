SELECT rm.municipality FROM covenants.region_members rm WHERE rm.region_id = $1
