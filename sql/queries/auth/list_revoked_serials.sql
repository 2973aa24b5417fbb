SELECT serial FROM auth.revoked_certificates
