-- The report version a provider ($1) stored for its request id ($2), with its content digest.
SELECT covenant_id, report_id, version, content_digest
  FROM reports.reports
 WHERE provider_kvk = $1 AND request_id = $2
