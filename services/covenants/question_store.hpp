#pragma once

// Questions about covenants (nota van inlichtingen): rules, and what the service needs from
// storage. PgQuestionStore is the PostgreSQL implementation.

#include <cstdint>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "covenant_rules.hpp"
#include "db/pool.hpp"
#include "question_rules.hpp"

namespace regie::covenants {

struct QuestionRecord {
  std::int64_t question_id = 0;
  std::string covenant_id;
  std::string text;
  std::string asker_organisation;  // KvK number
  std::int64_t asked_at_us = 0;
  std::string answer;               // empty while open
  std::int64_t answered_at_us = 0;  // 0 while open
};

class QuestionStore {
 public:
  virtual ~QuestionStore() = default;
  // Stores and audits a new question.
  virtual QuestionRecord Ask(db::Clock::time_point deadline, const audit::AuditContext& audit,
                             const std::string& covenant_id, const std::string& text,
                             const std::string& asker_organisation) = 0;
  // Answers an open question, audited. NOT_FOUND when absent; FAILED_PRECONDITION
  // (QUESTION_ANSWERED) when answered already.
  virtual QuestionRecord Answer(db::Clock::time_point deadline, const audit::AuditContext& audit,
                                const std::string& covenant_id, std::int64_t question_id,
                                const std::string& answer) = 0;
  // After `after_id`: answered questions, and open ones too when `all_open`, else only those of
  // `organisation`.
  virtual std::vector<QuestionRecord> List(db::Clock::time_point deadline,
                                           const std::string& covenant_id, std::int64_t after_id,
                                           bool all_open, const std::string& organisation,
                                           int limit) = 0;
};

class PgQuestionStore : public QuestionStore {
 public:
  explicit PgQuestionStore(db::ConnectionPool& pool) : pool_(pool) {}
  QuestionRecord Ask(db::Clock::time_point deadline, const audit::AuditContext& audit,
                     const std::string& covenant_id, const std::string& text,
                     const std::string& asker_organisation) override;
  QuestionRecord Answer(db::Clock::time_point deadline, const audit::AuditContext& audit,
                        const std::string& covenant_id, std::int64_t question_id,
                        const std::string& answer) override;
  std::vector<QuestionRecord> List(db::Clock::time_point deadline, const std::string& covenant_id,
                                   std::int64_t after_id, bool all_open,
                                   const std::string& organisation, int limit) override;

 private:
  db::ConnectionPool& pool_;
};

}  // namespace regie::covenants
