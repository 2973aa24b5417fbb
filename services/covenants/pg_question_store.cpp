#include <nlohmann/json.hpp>

#include "db/unit_of_work.hpp"
#include "names.hpp"
#include "question_store.hpp"

namespace regie::covenants {
namespace {

QuestionRecord ReadQuestion(const pqxx::row& row) {
  return {row[0].as<std::int64_t>(), row[1].as<std::string>(),  row[2].as<std::string>(),
          row[3].as<std::string>(),  row[4].as<std::int64_t>(), row[5].as<std::string>(),
          row[6].as<std::int64_t>()};
}

}  // namespace

QuestionRecord PgQuestionStore::Ask(db::Clock::time_point deadline,
                                    const audit::AuditContext& audit,
                                    const std::string& covenant_id, const std::string& text,
                                    const std::string& asker_organisation) {
  QuestionRecord record;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const auto id = tx.exec_prepared1("covenants/insert_question", covenant_id, text,
                                      asker_organisation, audit.actor_subject)[0]
                        .as<std::int64_t>();
    record = ReadQuestion(tx.exec_prepared1("covenants/get_question", covenant_id, id));
    audit::AppendEvent(tx, audit, QuestionName(covenant_id, id),
                       nlohmann::json{{"text", text}, {"asked_by", asker_organisation}}.dump());
  });
  return record;
}

QuestionRecord PgQuestionStore::Answer(db::Clock::time_point deadline,
                                       const audit::AuditContext& audit,
                                       const std::string& covenant_id, std::int64_t question_id,
                                       const std::string& answer) {
  QuestionRecord record;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const auto name = QuestionName(covenant_id, question_id);
    if (tx.exec_prepared("covenants/lock_question", covenant_id, question_id).empty()) {
      throw Error::NotFound(name);
    }
    if (tx.exec_prepared("covenants/answer_question", covenant_id, question_id, answer,
                         audit.actor_subject)
            .empty()) {
      throw Error::FailedPrecondition("QUESTION_ANSWERED",
                                      name + " has been answered and published already");
    }
    record = ReadQuestion(tx.exec_prepared1("covenants/get_question", covenant_id, question_id));
    audit::AppendEvent(tx, audit, name, nlohmann::json{{"answer", answer}}.dump());
  });
  return record;
}

std::vector<QuestionRecord> PgQuestionStore::List(db::Clock::time_point deadline,
                                                  const std::string& covenant_id,
                                                  std::int64_t after_id, bool all_open,
                                                  const std::string& organisation, int limit) {
  std::vector<QuestionRecord> records;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    records.clear();
    for (const auto& row : tx.exec_prepared("covenants/list_questions", covenant_id, after_id,
                                            all_open, organisation, limit)) {
      records.push_back(ReadQuestion(row));
    }
  });
  return records;
}

}  // namespace regie::covenants
