-- Admissions decided before a covenant was kept in Regie (AdmissionService.RecordEarlierAdmission):
-- the decision they cite. Empty for applications submitted through Regie.
ALTER TABLE providers.applications ADD COLUMN earlier_decision text NOT NULL DEFAULT '';
