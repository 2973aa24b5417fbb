-- Brings reports.accepted_versions up to date for report $2 of covenant $1 after a review.
SELECT reports.refresh_accepted_versions($1, $2)
