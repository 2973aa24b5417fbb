SELECT kvk_number FROM providers.providers WHERE kvk_number = $1 FOR UPDATE
