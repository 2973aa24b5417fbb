#include "auth/access_policy.hpp"

#include <algorithm>
#include <stdexcept>

#include "error.hpp"

namespace regie::auth {
namespace {

constexpr Role kProcurement = Role::kProcurement;
constexpr Role kProvider = Role::kProvider;
constexpr Role kAuditor = Role::kAuditor;
constexpr Role kAdmin = Role::kAdmin;

// Every RPC of every Regie service, and who may call it. Organisation scoping (own versus foreign
// organisation) is enforced by each service on top of this table.
std::vector<PolicyRule> DefaultRules() {
  const std::vector<Role> everyone(std::begin(kAllRoles), std::end(kAllRoles));
  return {
      // Served by gRPC itself; listed so that the table is complete.
      {"/grpc.health.v1.Health/Check", everyone},
      {"/grpc.health.v1.Health/Watch", everyone},
      {"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", everyone},

      {"/regie.identity.v1.IdentityService/WhoAmI", everyone},
      {"/regie.identity.v1.IdentityService/RevokeCertificate", {kAdmin}},
      {"/regie.identity.v1.IdentityService/ListRevokedCertificates", {kAdmin, kAuditor}},

      {"/regie.audit.v1.AuditService/GetLogState", {kAdmin, kAuditor}},
      {"/regie.audit.v1.AuditService/ListEntries", {kAdmin, kAuditor}},
      {"/regie.audit.v1.AuditService/ListResourceEvents", {kAdmin, kAuditor}},
      {"/regie.audit.v1.AuditService/ListCheckpoints", {kAdmin, kAuditor}},
      {"/regie.audit.v1.AuditService/ListSigningKeys", {kAdmin, kAuditor}},

      // Reference data: public within the deployment, maintained by administrators.
      {"/regie.covenants.v1.ReferenceDataService/GetMunicipality", everyone},
      {"/regie.covenants.v1.ReferenceDataService/ListMunicipalities", everyone},
      {"/regie.covenants.v1.ReferenceDataService/CreateMunicipality", {kAdmin}},
      {"/regie.covenants.v1.ReferenceDataService/GetRegion", everyone},
      {"/regie.covenants.v1.ReferenceDataService/ListRegions", everyone},
      {"/regie.covenants.v1.ReferenceDataService/CreateRegion", {kAdmin}},

      // Covenants: managed by procurement staff of participating municipalities (checked per
      // covenant); drafts visible only to them and to auditors in scope.
      {"/regie.covenants.v1.CovenantService/CreateCovenant", {kProcurement}},
      {"/regie.covenants.v1.CovenantService/GetCovenant", everyone},
      {"/regie.covenants.v1.CovenantService/ListCovenants", everyone},
      {"/regie.covenants.v1.CovenantService/UpdateCovenant", {kProcurement}},
      {"/regie.covenants.v1.CovenantService/PublishCovenant", {kProcurement}},
      {"/regie.covenants.v1.CovenantService/ExtendCovenant", {kProcurement}},
      {"/regie.covenants.v1.CovenantService/TerminateCovenant", {kProcurement}},
      {"/regie.covenants.v1.CovenantService/ListCovenantVersions", everyone},
      {"/regie.covenants.v1.CovenantService/DiffCovenantVersions", everyone},
      {"/regie.covenants.v1.CovenantService/ListDeadlines", everyone},
      {"/regie.covenants.v1.CovenantService/GetLot", everyone},
      {"/regie.covenants.v1.CovenantService/ListLots", everyone},
      {"/regie.covenants.v1.CovenantService/GetRequirement", everyone},
      {"/regie.covenants.v1.CovenantService/ListRequirements", everyone},
      // Questions (nota van inlichtingen): providers ask, managers answer (checked per covenant).
      {"/regie.covenants.v1.QuestionService/AskQuestion", {kProvider}},
      {"/regie.covenants.v1.QuestionService/AnswerQuestion", {kProcurement}},
      {"/regie.covenants.v1.QuestionService/ListQuestions", everyone},
      // The consultation table: managers schedule, record, propose and adopt (checked per
      // covenant); everyone who may read the covenant reads its meetings and amendments.
      {"/regie.covenants.v1.ConsultationService/ScheduleMeeting", {kProcurement}},
      {"/regie.covenants.v1.ConsultationService/GetMeeting", everyone},
      {"/regie.covenants.v1.ConsultationService/ListMeetings", everyone},
      {"/regie.covenants.v1.ConsultationService/RecordMinutes", {kProcurement}},
      {"/regie.covenants.v1.ConsultationService/CancelMeeting", {kProcurement}},
      {"/regie.covenants.v1.ConsultationService/ProposeAmendment", {kProcurement}},
      {"/regie.covenants.v1.ConsultationService/GetAmendment", everyone},
      {"/regie.covenants.v1.ConsultationService/ListAmendments", everyone},
      {"/regie.covenants.v1.ConsultationService/AdoptAmendment", {kProcurement}},
      {"/regie.covenants.v1.ConsultationService/WithdrawAmendment", {kProcurement}},
      // Documents: recorded by the covenant's managers, read with the covenant.
      {"/regie.covenants.v1.DocumentService/RecordDocument", {kProcurement}},
      {"/regie.covenants.v1.DocumentService/GetDocument", everyone},
      {"/regie.covenants.v1.DocumentService/ListDocuments", everyone},
      {"/regie.covenants.v1.DocumentService/ListDocumentRevisions", everyone},

      // Providers register themselves and keep their own evidence (checked per provider);
      // procurement staff and auditors read every provider.
      {"/regie.providers.v1.ProviderService/RegisterProvider", {kProvider}},
      {"/regie.providers.v1.ProviderService/UpdateProvider", {kProvider}},
      {"/regie.providers.v1.ProviderService/GetProvider", {kProvider, kProcurement, kAuditor}},
      {"/regie.providers.v1.ProviderService/ListProviders", {kProvider, kProcurement, kAuditor}},
      {"/regie.providers.v1.ProviderService/AddEvidence", {kProvider}},
      {"/regie.providers.v1.ProviderService/ListEvidence", {kProvider, kProcurement, kAuditor}},
      {"/regie.providers.v1.ProviderService/ListExpiringEvidence",
       {kProvider, kProcurement, kAuditor}},
      // Admission: providers apply; the covenant's managers assess and decide (checked per
      // covenant); auditors in scope read.
      {"/regie.providers.v1.AdmissionService/SubmitApplication", {kProvider}},
      {"/regie.providers.v1.AdmissionService/GetApplication", {kProvider, kProcurement, kAuditor}},
      {"/regie.providers.v1.AdmissionService/ListApplications",
       {kProvider, kProcurement, kAuditor}},
      {"/regie.providers.v1.AdmissionService/WithdrawApplication", {kProvider}},
      {"/regie.providers.v1.AdmissionService/AssessRequirement", {kProcurement}},
      {"/regie.providers.v1.AdmissionService/DecideLot", {kProcurement}},
      {"/regie.providers.v1.AdmissionService/RegisterObjection", {kProcurement}},
      {"/regie.providers.v1.AdmissionService/RecordEarlierAdmission", {kProcurement}},
      {"/regie.providers.v1.AdmissionService/GetAdmissionReport", {kProcurement, kAuditor}},
      // Participations: the managers suspend, reinstate and end; a provider gives notice for
      // itself. The public register is for everyone.
      {"/regie.providers.v1.ParticipationService/GetParticipation",
       {kProvider, kProcurement, kAuditor}},
      {"/regie.providers.v1.ParticipationService/ListParticipations",
       {kProvider, kProcurement, kAuditor}},
      {"/regie.providers.v1.ParticipationService/SuspendParticipation", {kProcurement}},
      {"/regie.providers.v1.ParticipationService/ReinstateParticipation", {kProcurement}},
      {"/regie.providers.v1.ParticipationService/EndParticipation", {kProvider, kProcurement}},
      {"/regie.providers.v1.ParticipationService/GetRegister", everyone},

      // Outcomes: the indicator library is public; the covenant's managers define agreements and
      // run settlements; providers read their own (checked per covenant); auditors read in scope.
      {"/regie.outcomes.v1.IndicatorService/GetIndicator", everyone},
      {"/regie.outcomes.v1.IndicatorService/ListIndicators", everyone},
      {"/regie.outcomes.v1.AgreementService/CreateAgreement", {kProcurement}},
      {"/regie.outcomes.v1.AgreementService/GetAgreement", {kProcurement, kProvider, kAuditor}},
      {"/regie.outcomes.v1.AgreementService/ListAgreements", {kProcurement, kProvider, kAuditor}},
      {"/regie.outcomes.v1.AgreementService/AmendAgreement", {kProcurement}},
      {"/regie.outcomes.v1.AgreementService/ListAgreementVersions",
       {kProcurement, kProvider, kAuditor}},
      {"/regie.outcomes.v1.SettlementService/RunSettlement", {kProcurement}},
      {"/regie.outcomes.v1.SettlementService/GetSettlement", {kProcurement, kProvider, kAuditor}},
      {"/regie.outcomes.v1.SettlementService/ListSettlements", {kProcurement, kProvider, kAuditor}},
      {"/regie.outcomes.v1.SettlementService/ExplainSettlement",
       {kProcurement, kProvider, kAuditor}},
      {"/regie.outcomes.v1.SettlementService/ComputeRecovery", {kProcurement, kProvider, kAuditor}},
      {"/regie.reports.v1.ReportService/SubmitReport", {kProvider}},
      {"/regie.reports.v1.ReportService/UploadReport", {kProvider}},
      {"/regie.reports.v1.ReportService/GetReport", {kProcurement, kProvider, kAuditor}},
      {"/regie.reports.v1.ReportService/ListReports", {kProcurement, kProvider, kAuditor}},
      {"/regie.reports.v1.ReportService/ListReportVersions", {kProcurement, kProvider, kAuditor}},
      {"/regie.reports.v1.ReportService/ReviewReport", {kProcurement}},
      {"/regie.reports.v1.QueryService/AggregateReports", {kProcurement, kProvider, kAuditor}},
      {"/regie.reports.v1.QueryService/BudgetExhaustion", {kProcurement, kAuditor}},
      {"/regie.reports.v1.QueryService/ComparePeers", {kProcurement, kProvider, kAuditor}},
      {"/regie.reports.v1.ExportService/ExportOcds", {kProcurement, kProvider, kAuditor}},
      {"/regie.reports.v1.ExportService/ExportProductionStatement", {kProcurement, kAuditor}},
  };
}

}  // namespace

AccessPolicy::AccessPolicy(std::vector<PolicyRule> rules) : rules_(std::move(rules)) {
  std::sort(rules_.begin(), rules_.end(),
            [](const PolicyRule& a, const PolicyRule& b) { return a.method < b.method; });
  for (std::size_t i = 1; i < rules_.size(); ++i) {
    if (rules_[i].method == rules_[i - 1].method) {
      throw std::logic_error("access policy lists " + rules_[i].method + " twice");
    }
  }
}

const AccessPolicy& AccessPolicy::Default() {
  static const AccessPolicy policy(DefaultRules());
  return policy;
}

const PolicyRule* AccessPolicy::Find(std::string_view method) const {
  auto it = std::lower_bound(rules_.begin(), rules_.end(), method,
                             [](const PolicyRule& r, std::string_view m) { return r.method < m; });
  return (it != rules_.end() && it->method == method) ? &*it : nullptr;
}

void AccessPolicy::Authorize(std::string_view method, const Principal& principal) const {
  const PolicyRule* rule = Find(method);
  if (rule == nullptr) {
    throw Error::PermissionDenied("RPC_NOT_IN_POLICY", std::string(method) +
                                                           " is not in the access policy, so "
                                                           "nobody may call it");
  }
  if (std::find(rule->roles.begin(), rule->roles.end(), principal.role) == rule->roles.end()) {
    throw Error::PermissionDenied(
        "ROLE_NOT_ALLOWED",
        "role " + std::string(RoleName(principal.role)) + " may not call " + std::string(method));
  }
}

std::vector<std::string> AccessPolicy::AllowedMethods(Role role) const {
  std::vector<std::string> methods;
  for (const auto& rule : rules_) {
    if (std::find(rule.roles.begin(), rule.roles.end(), role) != rule.roles.end()) {
      methods.push_back(rule.method);
    }
  }
  return methods;
}

}  // namespace regie::auth
