#include "export_formats.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "../core/json_writer.hpp"
#include "identrail/core/time.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

namespace dom = simdjson::dom;

// ---- reading ----------------------------------------------------------------

// The element at a dotted path of object keys ("aws.cloudtrail.error_code").
std::optional<dom::element> at(dom::element e, std::string_view path) {
  while (!path.empty()) {
    const auto dot = path.find('.');
    dom::element next;
    if (e.at_key(path.substr(0, dot)).get(next) != simdjson::SUCCESS) return std::nullopt;
    e = next;
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  }
  return e;
}

// A value as text: strings as they are, numbers and booleans as JSON; null and containers give nothing.
std::optional<std::string> text(dom::element e) {
  switch (e.type()) {
    case dom::element_type::STRING: return std::string(std::string_view(e.get_string().value_unsafe()));
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
    case dom::element_type::BOOL: return simdjson::minify(e);
    default: return std::nullopt;
  }
}

std::optional<std::string> text_at(dom::element e, std::string_view path) {
  const auto found = at(e, path);
  if (!found) return std::nullopt;
  auto value = text(*found);
  if (value && value->empty()) return std::nullopt;  // exports write absent values as ""
  return value;
}

template <class... Paths>
std::optional<std::string> first_text(dom::element e, Paths... paths) {
  std::optional<std::string> found;
  ((found = found ? found : text_at(e, paths)), ...);
  return found;
}

bool is_object(const std::optional<dom::element> &e) { return e && e->type() == dom::element_type::OBJECT; }

// ---- writing ----------------------------------------------------------------

// A CloudTrail record under construction: keys in the order added, each once.
class record_builder {
 public:
  void str(std::string_view key, const std::optional<std::string> &value) {
    if (value) add(key, [&](std::string &out) { append_json_string(out, *value); });
  }
  void raw(std::string_view key, std::string_view json) {
    if (!json.empty()) add(key, [&](std::string &out) { out += json; });
  }
  void boolean(std::string_view key, const std::optional<std::string> &value) {
    if (value == "true" || value == "false") raw(key, *value);
  }
  void object(std::string_view key, const record_builder &inner) {
    if (!inner.empty()) raw(key, inner.json());
  }
  [[nodiscard]] bool has(std::string_view key) const { return std::find(keys_.begin(), keys_.end(), key) != keys_.end(); }
  [[nodiscard]] bool empty() const { return keys_.empty(); }
  [[nodiscard]] std::string json() const { return "{" + body_ + "}"; }

 private:
  template <class Write>
  void add(std::string_view key, Write &&write) {
    if (has(key)) return;
    if (!body_.empty()) body_.push_back(',');
    append_json_string(body_, key);
    body_.push_back(':');
    write(body_);
    keys_.emplace_back(key);
  }
  std::string body_;
  std::vector<std::string> keys_;
};

// "2026-03-01 10:15:30.000", "2026-03-01T10:15:30.000Z" -> "2026-03-01T10:15:30Z", as CloudTrail writes it.
std::optional<std::string> cloudtrail_time(std::optional<std::string> t) {
  if (!t || t->size() < 19) return t;
  std::string out = t->substr(0, 19);
  out[10] = 'T';
  return out + "Z";
}

std::string time_of_millis(std::int64_t ms) {
  return format_rfc3339(from_unix_nanos(ms * 1'000'000));
}

bool parses_as_object(std::string_view json, dom::parser &scratch) {
  dom::element e;
  return scratch.parse(json.data(), json.size()).get(e) == simdjson::SUCCESS && e.type() == dom::element_type::OBJECT;
}

// ---- CloudTrail Lake ----------------------------------------------------------

// Presto's ROW text ({type=IAMUser, arn=..., sessioncontext={...}}) as a
// record object. Values are unescaped, so a value is cut only where ", name="
// starts the next field.
class row_text {
 public:
  explicit row_text(std::string_view s) : s_(s) {}
  std::optional<record_builder> parse() {
    if (!eat('{')) return std::nullopt;
    record_builder b;
    while (pos_ < s_.size() && s_[pos_] != '}') {
      const auto eq = s_.find('=', pos_);
      if (eq == std::string_view::npos) return std::nullopt;
      const std::string key = camel(s_.substr(pos_, eq - pos_));
      pos_ = eq + 1;
      if (pos_ < s_.size() && s_[pos_] == '{') {
        auto inner = parse();
        if (!inner) return std::nullopt;
        b.object(key, *inner);
      } else {
        const auto value = scalar();
        if (value != "null") b.str(key, std::string(value));
      }
      if (pos_ + 1 < s_.size() && s_[pos_] == ',' && s_[pos_ + 1] == ' ') pos_ += 2;
    }
    if (!eat('}')) return std::nullopt;
    return b;
  }

 private:
  bool eat(char c) {
    if (pos_ >= s_.size() || s_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  // Up to the next ", word=" or the closing brace of this level.
  std::string_view scalar() {
    const std::size_t from = pos_;
    for (; pos_ < s_.size(); ++pos_) {
      if (s_[pos_] == '}') break;
      if (s_[pos_] == ',' && pos_ + 1 < s_.size() && s_[pos_ + 1] == ' ' && starts_field(pos_ + 2)) break;
    }
    return s_.substr(from, pos_ - from);
  }
  bool starts_field(std::size_t p) const {
    std::size_t q = p;
    while (q < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[q])) || s_[q] == '_')) ++q;
    return q > p && q < s_.size() && s_[q] == '=';
  }
  // The schema's lower-case names back in CloudTrail's casing.
  static std::string camel(std::string_view lower) {
    static const std::map<std::string, std::string, std::less<>> names{
        {"principalid", "principalId"},       {"accountid", "accountId"},
        {"accesskeyid", "accessKeyId"},       {"username", "userName"},
        {"sessioncontext", "sessionContext"}, {"sessionissuer", "sessionIssuer"},
        {"creationdate", "creationDate"},     {"mfaauthenticated", "mfaAuthenticated"},
        {"invokedby", "invokedBy"},           {"sourceidentity", "sourceIdentity"},
        {"ec2roledelivery", "ec2RoleDelivery"}, {"webidfederationdata", "webIdFederationData"},
        {"federatedprovider", "federatedProvider"}, {"identityprovider", "identityProvider"},
        {"onbehalfof", "onBehalfOf"},         {"inscopeof", "inScopeOf"},
        {"credentialid", "credentialId"},     {"userid", "userId"},
        {"identitystorearn", "identityStoreArn"}, {"sourcearn", "sourceArn"},
        {"sourceaccount", "sourceAccount"},   {"issuertype", "issuerType"}};
    const auto it = names.find(lower);
    return it != names.end() ? it->second : std::string(lower);
  }
  std::string_view s_;
  std::size_t pos_ = 0;
};

export_entry lake_row(dom::element row, std::size_t i, dom::parser &scratch) {
  export_entry out;
  out.where = "QueryResultRows[" + std::to_string(i) + "]";
  std::map<std::string, std::string> columns;  // lower-cased name -> value
  std::string names;
  dom::array cells;
  if (row.get_array().get(cells) != simdjson::SUCCESS) {
    out.error = "expected a row: a list of {column: value} objects";
    return out;
  }
  for (dom::element cell : cells) {
    dom::object object;
    if (cell.get_object().get(object) != simdjson::SUCCESS) continue;
    for (auto [key, value] : object) {
      std::string lower(key);
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      names += (names.empty() ? "" : ", ") + std::string(key);
      const auto v = text(value);
      if (v && !v->empty() && *v != "null") columns[lower] = *v;
    }
  }
  if (const auto whole = columns.find("eventjson"); whole != columns.end()) {
    out.record = whole->second;
    return out;
  }
  if (!columns.contains("eventid") || !columns.contains("eventtime")) {
    out.error = "no eventJson column and no eventID/eventTime columns (columns: " + names +
                "); select eventJson or whole events";
    return out;
  }
  auto col = [&](const char *name) -> std::optional<std::string> {
    const auto it = columns.find(name);
    return it == columns.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  record_builder b;
  b.str("eventVersion", col("eventversion"));
  if (const auto who = col("useridentity")) {
    auto parsed = row_text(*who).parse();
    if (!parsed) {
      out.error = "userIdentity: not a struct in Presto's {name=value, ...} form";
      return out;
    }
    b.object("userIdentity", *parsed);
  }
  b.str("eventTime", cloudtrail_time(col("eventtime")));
  for (const auto &[column, key] : std::initializer_list<std::pair<const char *, const char *>>{
           {"eventsource", "eventSource"}, {"eventname", "eventName"}, {"awsregion", "awsRegion"},
           {"sourceipaddress", "sourceIPAddress"}, {"useragent", "userAgent"}, {"errorcode", "errorCode"},
           {"errormessage", "errorMessage"}, {"requestid", "requestID"}, {"eventid", "eventID"},
           {"eventtype", "eventType"}, {"apiversion", "apiVersion"}, {"recipientaccountid", "recipientAccountId"},
           {"sharedeventid", "sharedEventID"}, {"vpcendpointid", "vpcEndpointId"}, {"eventcategory", "eventCategory"}})
    b.str(key, col(column));
  b.boolean("readOnly", col("readonly"));
  b.boolean("managementEvent", col("managementevent"));
  // Maps come back as {key=value} text: kept only when a cell holds real JSON.
  for (const auto &[column, key] : std::initializer_list<std::pair<const char *, const char *>>{
           {"requestparameters", "requestParameters"}, {"responseelements", "responseElements"}})
    if (const auto v = col(column); v && parses_as_object(*v, scratch)) b.raw(key, *v);
  out.record = b.json();
  return out;
}

std::vector<export_entry> lake(dom::element doc, dom::parser &scratch) {
  std::vector<export_entry> out;
  dom::array rows;
  if (doc["QueryResultRows"].get_array().get(rows) != simdjson::SUCCESS) {
    out.push_back({"QueryResultRows", "", "expected a list of rows", false});
    return out;
  }
  std::size_t i = 0;
  for (dom::element row : rows) out.push_back(lake_row(row, i++, scratch));
  if (const auto status = text_at(doc, "QueryStatus"); status && *status != "FINISHED" && out.empty())
    out.push_back({"QueryStatus", "", "the query is " + *status + (status == "FAILED" ? ": " + text_at(doc, "ErrorMessage").value_or("") : ""), false});
  return out;
}

// ---- Elasticsearch, Logstash, the Elastic integration ---------------------------

// The Elastic integration's ECS fields back under CloudTrail's names (its ingest pipeline, reversed).
record_builder from_ecs(dom::element d) {
  record_builder who, issuer, context, attributes;
  who.str("type", text_at(d, "aws.cloudtrail.user_identity.type"));
  who.str("principalId", text_at(d, "user.id"));
  who.str("arn", text_at(d, "aws.cloudtrail.user_identity.arn"));
  who.str("accountId", text_at(d, "cloud.account.id"));
  who.str("accessKeyId", text_at(d, "aws.cloudtrail.user_identity.access_key_id"));
  who.str("invokedBy", text_at(d, "aws.cloudtrail.user_identity.invoked_by"));
  const bool session = at(d, "aws.cloudtrail.user_identity.session_context").has_value();
  if (!session) who.str("userName", text_at(d, "user.name"));  // for a session it holds the issuer's name
  for (const char *k : {"type", "arn", "principal_id", "account_id"})
    issuer.str(k == std::string_view("principal_id") ? "principalId" : k == std::string_view("account_id") ? "accountId" : k,
               text_at(d, std::string("aws.cloudtrail.user_identity.session_context.session_issuer.") + k));
  attributes.str("mfaAuthenticated", text_at(d, "aws.cloudtrail.user_identity.session_context.mfa_authenticated"));
  attributes.str("creationDate", text_at(d, "aws.cloudtrail.user_identity.session_context.creation_date"));
  context.object("sessionIssuer", issuer);
  context.object("attributes", attributes);
  who.object("sessionContext", context);

  record_builder b;
  b.str("eventVersion", text_at(d, "aws.cloudtrail.event_version"));
  b.object("userIdentity", who);
  b.str("eventTime", cloudtrail_time(text_at(d, "@timestamp")));
  b.str("eventSource", text_at(d, "event.provider"));
  b.str("eventName", text_at(d, "event.action"));
  b.str("awsRegion", text_at(d, "cloud.region"));
  b.str("sourceIPAddress", first_text(d, "source.address", "source.ip"));
  b.str("userAgent", text_at(d, "user_agent.original"));
  b.str("errorCode", text_at(d, "aws.cloudtrail.error_code"));
  b.str("errorMessage", text_at(d, "aws.cloudtrail.error_message"));
  for (const auto &[path, key] : std::initializer_list<std::pair<const char *, const char *>>{
           {"aws.cloudtrail.flattened.request_parameters", "requestParameters"},
           {"aws.cloudtrail.flattened.response_elements", "responseElements"},
           {"aws.cloudtrail.flattened.additional_eventdata", "additionalEventData"}})
    if (const auto v = at(d, path); is_object(v)) b.raw(key, simdjson::minify(*v));
  b.str("requestID", text_at(d, "aws.cloudtrail.request_id"));
  b.str("eventID", text_at(d, "event.id"));
  b.boolean("readOnly", text_at(d, "aws.cloudtrail.read_only"));
  b.str("eventType", text_at(d, "aws.cloudtrail.event_type"));
  b.boolean("managementEvent", text_at(d, "aws.cloudtrail.management_event"));
  b.str("recipientAccountId", text_at(d, "aws.cloudtrail.recipient_account_id"));
  b.str("eventCategory", text_at(d, "aws.cloudtrail.event_category"));
  b.str("vpcEndpointId", text_at(d, "aws.cloudtrail.vpc_endpoint_id"));
  return b;
}

// One document: the kept original, the codec's record, a record in message, or the ECS fields.
void elastic_document(dom::element d, export_entry &out, dom::parser &scratch) {
  const auto pipeline_error = text_at(d, "error.message");
  if (const auto original = text_at(d, "event.original")) {
    if (parses_as_object(*original, scratch)) {
      out.record = *original;
      return;
    }
    out.error = pipeline_error ? "ingest pipeline failure (error.message: " + *pipeline_error + "); event.original is not valid JSON"
                               : "event.original is not valid JSON";
    return;
  }
  if (at(d, "eventName") && at(d, "eventSource")) {
    // The Logstash cloudtrail codec moved eventTime into @timestamp and added its own fields.
    record_builder b;
    dom::object object = d.get_object().value_unsafe();
    for (auto [key, value] : object) {
      if (key == "@timestamp" || key == "@version" || key == "tags" || key == "type") continue;
      b.raw(key, simdjson::minify(value));
    }
    if (!b.has("eventTime")) b.str("eventTime", cloudtrail_time(text_at(d, "@timestamp")));
    out.record = b.json();
    return;
  }
  if (const auto message = text_at(d, "message")) {
    if (parses_as_object(*message, scratch)) {
      out.record = *message;  // @timestamp here is the log's ingestion time, never the event's
      return;
    }
    const bool tagged = [&] {
      dom::array tags;
      if (d["tags"].get_array().get(tags) != simdjson::SUCCESS) return false;
      for (dom::element t : tags)
        if (text(t) == "_jsonparsefailure") return true;
      return false;
    }();
    out.error = std::string(tagged ? "tagged _jsonparsefailure; " : "") + "message is not a CloudTrail record (malformed JSON)";
    return;
  }
  if (pipeline_error) {
    out.error = "ingest pipeline failure (error.message: " + *pipeline_error + ")";
    return;
  }
  if (at(d, "aws.cloudtrail.flattened.digest")) {
    out.skipped = true;
    return;
  }
  if (at(d, "aws.cloudtrail") && at(d, "event.action")) {
    out.record = from_ecs(d).json();
    return;
  }
  out.error = "no CloudTrail record: no event.original, eventName/eventSource, message or aws.cloudtrail fields";
}

std::vector<export_entry> elastic(dom::element doc, dom::parser &scratch) {
  std::vector<export_entry> out;
  dom::array hits;
  if (doc["hits"]["hits"].get_array().get(hits) == simdjson::SUCCESS) {
    std::size_t i = 0;
    for (dom::element hit : hits) {
      export_entry entry;
      entry.where = "hits.hits[" + std::to_string(i++) + "]";
      if (const auto id = text_at(hit, "_id")) entry.where += " (_id " + *id + ")";
      const auto source = at(hit, "_source");
      if (is_object(source)) elastic_document(*source, entry, scratch);
      else entry.error = "no _source object";
      out.push_back(std::move(entry));
    }
    return out;
  }
  export_entry entry;
  const auto source = at(doc, "_source");
  elastic_document(is_object(source) ? *source : doc, entry, scratch);
  out.push_back(std::move(entry));
  return out;
}

// ---- Datadog --------------------------------------------------------------------

// Datadog's standard attributes that replace CloudTrail's names in its pipeline.
constexpr std::pair<const char *, const char *> kDatadogNames[] = {
    {"eventName", "evt.name"}, {"sourceIPAddress", "network.client.ip"}, {"userAgent", "http.useragent"}};

std::vector<export_entry> datadog(dom::element doc) {
  std::vector<export_entry> out;
  dom::array entries;
  if (doc["data"].get_array().get(entries) != simdjson::SUCCESS) {
    out.push_back({"data", "", "expected a list of log entries", false});
    return out;
  }
  std::size_t i = 0;
  for (dom::element item : entries) {
    export_entry entry;
    entry.where = "data[" + std::to_string(i++) + "]";
    if (const auto id = text_at(item, "id")) entry.where += " (id " + id->substr(0, 16) + (id->size() > 16 ? "..." : "") + ")";
    const auto type = text_at(item, "type");
    const auto attributes = at(item, "attributes.attributes");
    if (type && *type != "log") {
      entry.error = "a Datadog " + *type + " entry, not a log";
    } else if (!is_object(attributes)) {
      entry.error = "no attributes.attributes object";
    } else if (!at(*attributes, "eventSource") || !(at(*attributes, "eventName") || at(*attributes, "evt.name"))) {
      entry.error = "no CloudTrail fields (no eventSource, no evt.name/eventName)";
    } else {
      record_builder b;
      dom::object object = attributes->get_object().value_unsafe();
      for (auto [key, value] : object) {
        static constexpr std::string_view kDatadogOwn[] = {"evt", "network", "http", "usr", "service", "host",
                                                           "title", "status", "timestamp", "date"};
        if (std::find(std::begin(kDatadogOwn), std::end(kDatadogOwn), key) != std::end(kDatadogOwn)) continue;
        b.raw(key, simdjson::minify(value));
      }
      for (const auto &[own, theirs] : kDatadogNames) b.str(own, text_at(*attributes, theirs));
      b.str("eventTime", cloudtrail_time(text_at(item, "attributes.timestamp")));
      entry.record = b.json();
    }
    out.push_back(std::move(entry));
  }
  return out;
}

// ---- OCSF -------------------------------------------------------------------------

bool is_ocsf_cloudtrail_class(std::int64_t uid) { return uid == 6003 || uid == 3005 || uid == 3001 || uid == 3002; }

export_entry ocsf(dom::element d) {
  export_entry out;
  std::int64_t uid = 0;
  const auto product = text_at(d, "metadata.product.name");
  if (d["class_uid"].get_int64().get(uid) != simdjson::SUCCESS || !is_ocsf_cloudtrail_class(uid)) {
    out.error = "not an OCSF API Activity, Account Change or Authentication event";
    return out;
  }
  if (product != "CloudTrail") {
    out.error = "not a CloudTrail event (OCSF " + text_at(d, "class_name").value_or("event") + " from " +
                product.value_or("an unnamed product") + ")";
    return out;
  }
  std::int64_t ms = 0;
  if (d["time"].get_int64().get(ms) != simdjson::SUCCESS) {
    out.error = "time: expected epoch milliseconds";
    return out;
  }
  // OCSF 1.0 (Security Lake source version 1) kept the ARN in uuid and the principal id in uid.
  const bool v1 = uid == 3005 || text_at(d, "metadata.version").value_or("").starts_with("1.0");
  auto arn = text_at(d, v1 ? "actor.user.uuid" : "actor.user.uid");
  auto principal = text_at(d, v1 ? "actor.user.uid" : "actor.user.uid_alt");
  if (arn && !arn->starts_with("arn:") && principal && principal->starts_with("arn:")) std::swap(arn, principal);
  record_builder who, issuer, attributes, context;
  who.str("type", text_at(d, "actor.user.type"));
  who.str("principalId", principal);
  who.str("arn", arn);
  who.str("accountId", first_text(d, "actor.user.account.uid", "actor.user.account_uid"));
  who.str("accessKeyId", text_at(d, "actor.user.credential_uid"));
  who.str("userName", text_at(d, "actor.user.name"));
  who.str("invokedBy", text_at(d, "actor.invoked_by"));
  issuer.str("arn", text_at(d, "actor.session.issuer"));
  attributes.str("mfaAuthenticated", first_text(d, "actor.session.is_mfa", "actor.session.mfa"));
  context.object("sessionIssuer", issuer);
  context.object("attributes", attributes);
  who.object("sessionContext", context);

  record_builder b;
  b.str("eventVersion", text_at(d, "metadata.product.version"));
  b.object("userIdentity", who);
  b.str("eventTime", time_of_millis(ms));
  b.str("eventSource", text_at(d, "api.service.name"));
  b.str("eventName", text_at(d, "api.operation"));
  b.str("awsRegion", first_text(d, "cloud.region", "region"));
  b.str("sourceIPAddress", first_text(d, "src_endpoint.ip", "src_endpoint.domain"));
  b.str("userAgent", text_at(d, "http_request.user_agent"));
  b.str("errorCode", text_at(d, "api.response.error"));
  b.str("errorMessage", text_at(d, "api.response.message"));
  dom::parser inner;
  for (const auto &[path, fallback, key] : std::initializer_list<std::tuple<const char *, const char *, const char *>>{
           {"api.request.data", "requestParameters", "requestParameters"},
           {"api.response.data", "responseElements", "responseElements"}}) {
    auto data = text_at(d, path);
    if (!data) {
      dom::element u;
      if (d["unmapped"][fallback].get(u) == simdjson::SUCCESS) data = text(u);
    }
    if (data && parses_as_object(*data, inner)) b.raw(key, *data);
    else if (const auto v = at(d, path); is_object(v)) b.raw(key, simdjson::minify(*v));
  }
  b.str("requestID", text_at(d, "api.request.uid"));
  b.str("eventID", text_at(d, "metadata.uid"));
  auto unmapped = [&](const char *key) -> std::optional<std::string> {
    dom::element u;
    if (d["unmapped"][key].get(u) != simdjson::SUCCESS) return std::nullopt;
    return text(u);
  };
  b.boolean("readOnly", unmapped("readOnly"));
  const auto code = text_at(d, "metadata.event_code");
  if (code && code->starts_with("Aws")) b.str("eventType", code);
  else b.str("eventType", unmapped("eventType"));
  b.boolean("managementEvent", unmapped("managementEvent"));
  const auto recipient = unmapped("recipientAccountId");
  b.str("recipientAccountId", recipient ? recipient : first_text(d, "accountid", "cloud.account.uid"));
  b.str("eventCategory", unmapped("eventCategory"));
  out.record = b.json();
  return out;
}

enum class shape { none, lake, elastic, datadog, ocsf };

shape shape_of(dom::element doc) {
  if (at(doc, "QueryResultRows")) return shape::lake;
  if (at(doc, "class_uid")) return shape::ocsf;
  if (at(doc, "hits.hits") || at(doc, "_source") || at(doc, "@timestamp")) return shape::elastic;
  dom::array data;
  if (doc["data"].get_array().get(data) == simdjson::SUCCESS) return shape::datadog;
  return shape::none;
}

bool allowed(shape s, input_format f) {
  switch (f) {
    case input_format::automatic: return s != shape::none;
    case input_format::cloudtrail: return false;
    case input_format::cloudtrail_lake: return s == shape::lake;
    case input_format::elasticsearch: return s == shape::elastic;
    case input_format::datadog: return s == shape::datadog;
    case input_format::ocsf: return s == shape::ocsf;
  }
  return false;
}

}  // namespace

bool is_export_key(std::string_view key) noexcept {
  return key == "QueryResultRows" || key == "hits" || key == "data" || key == "@timestamp" || key == "_source" ||
         key == "class_uid";
}

std::vector<export_entry> read_export(std::string_view json, input_format format, dom::parser &parser) {
  dom::element doc;
  if (auto err = parser.parse(json.data(), json.size()).get(doc))
    return {{"", "", std::string("malformed JSON: ") + simdjson::error_message(err), false}};
  const shape s = shape_of(doc);
  if (!allowed(s, format))
    return {{"", "", format == input_format::automatic ? "not a CloudTrail record or a known export"
                                                        : "not the shape of input format " + std::string(to_string(format)),
             false}};
  dom::parser scratch;
  switch (s) {
    case shape::lake: return lake(doc, scratch);
    case shape::elastic: return elastic(doc, scratch);
    case shape::datadog: return datadog(doc);
    case shape::ocsf: return {ocsf(doc)};
    case shape::none: break;
  }
  return {};
}

std::string_view to_string(input_format format) noexcept {
  switch (format) {
    case input_format::automatic: return "auto";
    case input_format::cloudtrail: return "cloudtrail";
    case input_format::cloudtrail_lake: return "cloudtrail-lake";
    case input_format::elasticsearch: return "elasticsearch";
    case input_format::datadog: return "datadog";
    case input_format::ocsf: return "ocsf";
  }
  return "auto";
}

}  // namespace detail

result<input_format> parse_input_format(std::string_view name) {
  for (const auto f : {input_format::automatic, input_format::cloudtrail, input_format::cloudtrail_lake,
                       input_format::elasticsearch, input_format::datadog, input_format::ocsf})
    if (detail::to_string(f) == name) return f;
  return make_error(errc::invalid_argument, "unknown input format \"" + std::string(name) +
                                                "\" (auto, cloudtrail, cloudtrail-lake, elasticsearch, datadog, ocsf)");
}

}  // namespace v0
}  // namespace identrail
