#include <pybind11/stl.h>

#include "binding.hpp"

namespace py = pybind11;

namespace identrail::python {
namespace {


py::object optional_bool(tristate t) {
  if (t == tristate::unknown) return py::none();
  return py::bool_(t == tristate::yes);
}

template <class Get>
void text_property(py::class_<event_ref> &cls, const char *name, Get get, const char *doc) {
  cls.def_property_readonly(
      name, [get](const event_ref &r) { return std::string(get(r)); }, doc);
}

}  // namespace

void bind_event(py::module_ &m) {
  py::class_<event_ref> cls(m, "Event", "One normalized CloudTrail event (a view into its Engine).");
  text_property(cls, "id", [](const event_ref &r) { return std::string_view(r.get().id); }, "eventID");
  cls.def_property_readonly("time_ns", [](const event_ref &r) { return to_unix_nanos(r.get().time); },
                            "Event time, nanoseconds since the Unix epoch (UTC).");
  cls.def_property_readonly("time", [](const event_ref &r) { return format_rfc3339(r.get().time); },
                            "Event time as an RFC 3339 UTC string.");
  text_property(cls, "provider", [](const event_ref &r) { return r.str(r.get().provider); }, "Cloud provider (aws).");
  text_property(cls, "account", [](const event_ref &r) { return r.str(r.get().account); }, "recipientAccountId");
  text_property(cls, "region", [](const event_ref &r) { return r.str(r.get().region); }, "awsRegion");
  text_property(cls, "event_source", [](const event_ref &r) { return r.str(r.get().event_source); }, "eventSource");
  text_property(cls, "event_name", [](const event_ref &r) { return r.str(r.get().event_name); }, "eventName");
  text_property(cls, "event_type", [](const event_ref &r) { return r.str(r.get().event_type); }, "eventType");
  text_property(cls, "action", [](const event_ref &r) { return r.str(r.get().action); }, "IAM action, e.g. ses:GetSendQuota");
  text_property(cls, "action_origin", [](const event_ref &r) { return to_string(r.get().action_from); },
                "table, by_name or fallback: how the action was derived.");
  text_property(cls, "actor_type", [](const event_ref &r) { return to_string(r.get().who.type); }, "userIdentity.type");
  text_property(cls, "actor_arn", [](const event_ref &r) { return r.str(r.get().who.arn); }, "userIdentity.arn");
  text_property(cls, "principal_id", [](const event_ref &r) { return r.str(r.get().who.principal_id); }, "userIdentity.principalId");
  text_property(cls, "actor_account", [](const event_ref &r) { return r.str(r.get().who.account_id); }, "userIdentity.accountId");
  text_property(cls, "access_key_id", [](const event_ref &r) { return r.str(r.get().who.access_key_id); }, "userIdentity.accessKeyId");
  text_property(cls, "user_name", [](const event_ref &r) { return r.str(r.get().who.user_name); }, "userIdentity.userName");
  text_property(cls, "issuer_arn", [](const event_ref &r) { return r.str(r.get().who.issuer_arn); }, "Session issuer (the role) ARN.");
  text_property(cls, "issuer_type", [](const event_ref &r) { return r.str(r.get().who.issuer_type); }, "Session issuer type.");
  text_property(cls, "session_name", [](const event_ref &r) { return r.str(r.get().who.session_name); }, "Role session name.");
  text_property(cls, "source_identity", [](const event_ref &r) { return r.str(r.get().who.source_identity); }, "sourceIdentity");
  text_property(cls, "instance_id", [](const event_ref &r) { return r.str(r.get().who.instance_id); }, "EC2 instance of an instance-profile session.");
  text_property(cls, "invoked_by", [](const event_ref &r) { return r.str(r.get().who.invoked_by); }, "userIdentity.invokedBy");
  cls.def_property_readonly("mfa", [](const event_ref &r) { return optional_bool(r.get().who.mfa); }, "MFA flag, or None if not logged.");
  cls.def_property_readonly("session_created", [](const event_ref &r) -> py::object {
    const auto &t = r.get().who.session_created;
    if (!t) return py::none();
    return py::str(format_rfc3339(*t));
  });
  text_property(cls, "source", [](const event_ref &r) { return r.str(r.get().source.text); }, "sourceIPAddress as logged.");
  text_property(cls, "source_kind", [](const event_ref &r) { return to_string(r.get().source.type); }, "ipv4, ipv6, name or empty.");
  text_property(cls, "user_agent", [](const event_ref &r) { return r.str(r.get().user_agent); }, "userAgent");
  cls.def_property_readonly("success", [](const event_ref &r) { return r.get().result.success; });
  text_property(cls, "error_code", [](const event_ref &r) { return r.str(r.get().result.error_code); }, "errorCode");
  text_property(cls, "error_message", [](const event_ref &r) { return std::string_view(r.get().result.error_message); }, "errorMessage");
  cls.def_property_readonly("read_only", [](const event_ref &r) { return optional_bool(r.get().read_only); });
  text_property(cls, "category", [](const event_ref &r) { return to_string(r.get().category); }, "Management, Data, Insight, ...");
  cls.def_property_readonly("resources", [](const event_ref &r) {
    std::vector<std::string> arns;
    for (const auto s : r.get().resources) arns.emplace_back(r.str(s));
    return arns;
  });
  cls.def_property_readonly(
      "raw", [](const event_ref &r) { return std::string(r.get().raw); },
      "The record's JSON as delivered (empty when the engine does not keep raw records).");
  cls.def(
      "raw_field",
      [](const event_ref &r, std::string_view path) -> py::object {
        auto field = raw_field(r.get(), path);
        if (!field) {
          if (field.error().code == errc::not_found) return py::none();
          throw binding_error(field.error().code, field.error().message);
        }
        return py::str(field->text);
      },
      py::arg("path"), "Value at a dotted path of the raw record (str; JSON text for non-strings), or None.");
  cls.def(
      "to_json",
      [](const event_ref &r, std::string_view form) {
        if (form != "flat" && form != "ocsf") throw binding_error(errc::invalid_argument, "form must be 'flat' or 'ocsf'");
        std::string out;
        append_event_json(out, r.get(), r.symbols(), form == "ocsf" ? event_json_form::ocsf : event_json_form::flat);
        return out;
      },
      py::arg("form") = "flat", "The event as JSON: identrail's flat form or OCSF API Activity (6003).");
  cls.def("__repr__", [](const event_ref &r) {
    return "<identrail.Event " + format_rfc3339(r.get().time) + " " + std::string(r.str(r.get().action)) + " by " +
           std::string(r.str(r.get().who.arn)) + ">";
  });
}

}  // namespace identrail::python
