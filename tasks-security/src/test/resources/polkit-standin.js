// A stand-in for polkitd's rules engine, enough to run a rules file for real: polkit.addRule,
// polkit.Result, and action and subject objects with the fields and methods polkit gives them.
// Rules run in order until one returns something other than undefined or null, as in polkitd.
// The rules file runs in a fresh context that holds only `polkit`, so it cannot lean on Node.
//
// Usage: node polkit-standin.js RULES_FILE CASES_FILE
// CASES_FILE: [{"action": "...", "user": "...", "groups": ["..."]}, ...]; prints one result per case.
"use strict";
const fs = require("fs");
const vm = require("vm");

const [rulesFile, casesFile] = process.argv.slice(2);
const Result = Object.freeze({
    NO: "no",
    YES: "yes",
    AUTH_SELF: "auth_self",
    AUTH_SELF_KEEP: "auth_self_keep",
    AUTH_ADMIN: "auth_admin",
    AUTH_ADMIN_KEEP: "auth_admin_keep",
    NOT_HANDLED: null
});
const rules = [];
const polkit = Object.freeze({
    Result: Result,
    addRule: function (rule) {
        if (typeof rule !== "function") {
            throw new TypeError("polkit.addRule takes a function");
        }
        rules.push(rule);
    },
    addAdminRule: function () {},
    log: function () {},
    spawn: function () {
        throw new Error("polkit.spawn is not available in this stand-in");
    }
});
vm.runInNewContext(fs.readFileSync(rulesFile, "utf8"), { polkit: polkit }, { filename: rulesFile });
if (rules.length === 0) {
    throw new Error(rulesFile + " added no rule");
}

const known = new Set(Object.values(Result).filter(value => value !== null));
const cases = JSON.parse(fs.readFileSync(casesFile, "utf8"));
const results = cases.map(function (entry) {
    const action = Object.freeze({ id: entry.action, lookup: function () { return undefined; } });
    const subject = Object.freeze({
        user: entry.user,
        groups: entry.groups,
        pid: 4242,
        local: true,
        active: true,
        session: "1",
        seat: "seat0",
        isInGroup: function (group) { return entry.groups.indexOf(group) >= 0; },
        isInNetGroup: function () { return false; }
    });
    for (const rule of rules) {
        const result = rule(action, subject);
        if (result !== undefined && result !== null) {
            if (!known.has(result)) {
                throw new Error("rule returned " + JSON.stringify(result) + " for " + entry.action + ", which is no polkit.Result");
            }
            return result;
        }
    }
    return "not_handled";
});
process.stdout.write(JSON.stringify(results));
