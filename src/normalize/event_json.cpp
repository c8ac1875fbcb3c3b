#include "identrail/normalize/event_json.hpp"

#include <chrono>

#include "../core/json_writer.hpp"
#include "../core/ocsf.hpp"

namespace identrail {
inline namespace v0 {
namespace {

using detail::json_array;
using detail::json_object;


void flat(std::string &out, const event &e, const symbol_table &s) {
  json_object o(out);
  o.str("id", e.id);
  o.str("time", format_rfc3339(e.time));
  o.str("provider", s.str(e.provider));
  o.str_if("account", s.str(e.account));
  o.str_if("region", s.str(e.region));
  o.str_if("event_source", s.str(e.event_source));
  o.str("event_name", s.str(e.event_name));
  o.str_if("event_type", s.str(e.event_type));
  o.str("action", s.str(e.action));
  o.str("action_origin", to_string(e.action_from));
  o.str("actor_type", to_string(e.who.type));
  o.str_if("actor_type_raw", e.who.type == identity_type::unknown ? s.str(e.who.type_name) : std::string_view{});
  o.str_if("actor_arn", s.str(e.who.arn));
  o.str_if("actor_principal_id", s.str(e.who.principal_id));
  o.str_if("actor_account_id", s.str(e.who.account_id));
  o.str_if("actor_access_key_id", s.str(e.who.access_key_id));
  o.str_if("actor_user_name", s.str(e.who.user_name));
  o.str_if("actor_issuer_arn", s.str(e.who.issuer_arn));
  o.str_if("actor_issuer_type", s.str(e.who.issuer_type));
  o.str_if("actor_session_name", s.str(e.who.session_name));
  o.str_if("actor_source_identity", s.str(e.who.source_identity));
  if (e.who.mfa != tristate::unknown) o.boolean("actor_mfa", e.who.mfa == tristate::yes);
  if (e.who.session_created) o.str("actor_session_created", format_rfc3339(*e.who.session_created));
  o.str_if("actor_instance_id", s.str(e.who.instance_id));
  o.str_if("actor_invoked_by", s.str(e.who.invoked_by));
  o.str_if("source", s.str(e.source.text));
  o.str_if("source_kind", to_string(e.source.type));
  o.str_if("user_agent", s.str(e.user_agent));
  o.boolean("success", e.result.success);
  o.str_if("error_code", s.str(e.result.error_code));
  o.str_if("error_message", e.result.error_message);
  if (e.read_only != tristate::unknown) o.boolean("read_only", e.read_only == tristate::yes);
  o.str_if("category", to_string(e.category));
  json_array resources(o.key("resources"));
  for (const auto arn : e.resources) resources.str(s.str(arn));
}

bool starts_with_any(std::string_view name, std::initializer_list<std::string_view> verbs) {
  for (const auto verb : verbs)
    if (name.starts_with(verb)) return true;
  return false;
}

// OCSF API Activity activity_id: 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other.
int ocsf_activity(std::string_view name) {
  if (starts_with_any(name, {"Get", "List", "Describe", "Lookup", "Head", "Search", "Scan", "Query", "Select",
                             "BatchGet", "Filter", "Test", "Validate", "Check", "Preview", "View", "Download"}))
    return 2;
  if (starts_with_any(name, {"Delete", "Remove", "Detach", "Terminate", "Deregister", "Revoke", "Purge",
                             "Disassociate", "Deactivate", "Release", "Cancel"}))
    return 4;
  if (starts_with_any(name, {"Create", "Put", "Run", "Add", "Attach", "Register", "Import", "Allocate",
                             "Generate", "Issue", "Invoke", "Publish", "Send", "Upload", "Copy", "Assume",
                             "Request", "Start", "Launch", "Associate"}))
    return 1;
  if (starts_with_any(name, {"Update", "Modify", "Set", "Change", "Enable", "Disable", "Stop", "Reset",
                             "Tag", "Untag", "Replace", "Reboot", "Rotate", "Restore", "Apply", "Edit",
                             "Enforce", "Activate"}))
    return 3;
  return 99;
}

std::string_view ocsf_activity_name(int id) {
  switch (id) {
    case 1: return "Create";
    case 2: return "Read";
    case 3: return "Update";
    case 4: return "Delete";
  }
  return "Other";
}

void ocsf(std::string &out, const event &e, const symbol_table &s) {
  static constexpr detail::ocsf_class kApiActivity{6003, "API Activity", 6, "Application Activity"};
  const int activity = ocsf_activity(s.str(e.event_name));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(e.time.time_since_epoch()).count();
  json_object o(out);
  detail::write_ocsf_class(o, kApiActivity, activity, ocsf_activity_name(activity));
  o.num("severity_id", 1);
  o.str("severity", "Informational");
  o.num("time", ms);
  o.num("status_id", e.result.success ? 1 : 2);
  o.str("status", e.result.success ? "Success" : "Failure");
  if (!e.result.success) {
    o.str_if("status_code", s.str(e.result.error_code));
    o.str_if("status_detail", e.result.error_message);
  }
  {
    json_object metadata(o.key("metadata"));
    metadata.str("version", detail::kOcsfVersion);
    metadata.str_if("uid", e.id);
    metadata.str("event_code", s.str(e.event_name));
    json_object product(metadata.key("product"));
    product.str("name", "CloudTrail");
    product.str("vendor_name", "AWS");
  }
  {
    json_object api(o.key("api"));
    api.str("operation", s.str(e.event_name));
    {
      json_object service(api.key("service"));
      service.str_if("name", s.str(e.event_source));
    }
    if (!e.result.success) {
      json_object response(api.key("response"));
      response.str_if("error", s.str(e.result.error_code));
      response.str_if("error_message", e.result.error_message);
    }
  }
  {
    json_object actor(o.key("actor"));
    {
      json_object user(actor.key("user"));
      user.str("type", to_string(e.who.type));
      user.str_if("uid", s.str(e.who.arn));
      user.str_if("name", s.str(e.who.user_name).empty() ? s.str(e.who.session_name) : s.str(e.who.user_name));
      user.str_if("credential_uid", s.str(e.who.access_key_id));
      if (!e.who.account_id.empty()) {
        json_object account(user.key("account"));
        account.str("uid", s.str(e.who.account_id));
        account.str("type", "AWS Account");
      }
    }
    if (!e.who.issuer_arn.empty() || e.who.mfa != tristate::unknown || e.who.session_created) {
      json_object session(actor.key("session"));
      session.str_if("issuer", s.str(e.who.issuer_arn));
      session.str_if("uid", s.str(e.who.principal_id));
      if (e.who.mfa != tristate::unknown) session.boolean("is_mfa", e.who.mfa == tristate::yes);
      if (e.who.session_created)
        session.num("created_time",
                    std::chrono::duration_cast<std::chrono::milliseconds>(e.who.session_created->time_since_epoch()).count());
    }
    actor.str_if("invoked_by", s.str(e.who.invoked_by));
  }
  if (!e.source.text.empty()) {
    json_object endpoint(o.key("src_endpoint"));
    if (e.source.is_ip()) endpoint.str("ip", s.str(e.source.text));
    else endpoint.str("domain", s.str(e.source.text));
  }
  if (!e.user_agent.empty()) {
    json_object http(o.key("http_request"));
    http.str("user_agent", s.str(e.user_agent));
  }
  {
    json_object cloud(o.key("cloud"));
    cloud.str("provider", "AWS");
    cloud.str_if("region", s.str(e.region));
    if (!e.account.empty()) {
      json_object account(cloud.key("account"));
      account.str("uid", s.str(e.account));
    }
  }
  if (!e.resources.empty()) {
    json_array resources(o.key("resources"));
    for (const auto arn : e.resources) {
      json_object r(resources.next());
      r.str("uid", s.str(arn));
    }
  }
  {
    json_object unmapped(o.key("unmapped"));
    unmapped.str("action", s.str(e.action));
    if (e.read_only != tristate::unknown) unmapped.boolean("readOnly", e.read_only == tristate::yes);
    unmapped.str_if("eventCategory", to_string(e.category));
    unmapped.str_if("eventType", s.str(e.event_type));
  }
}

}  // namespace

void append_event_json(std::string &out, const event &e, const symbol_table &symbols, event_json_form form) {
  if (form == event_json_form::ocsf) ocsf(out, e, symbols);
  else flat(out, e, symbols);
}

}  // namespace v0
}  // namespace identrail
