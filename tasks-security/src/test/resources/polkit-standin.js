// A stand-in for polkitd's rules engine, enough to run a rules file for real: polkit.addRule,
// polkit.Result, and action and subject objects with the fields and methods polkit gives them.
// Rules run in order until one returns something other than undefined or null, as in polkitd.
// ES5 only, like the rules themselves: it runs in Duktape (the engine of Debian's polkitd) and in Node.
// The test appends the rules file and a call of hyperopsRunCases to it.
var polkit = (function () {
    var rules = [];
    return {
        Result: {
            NO: "no",
            YES: "yes",
            AUTH_SELF: "auth_self",
            AUTH_SELF_KEEP: "auth_self_keep",
            AUTH_ADMIN: "auth_admin",
            AUTH_ADMIN_KEEP: "auth_admin_keep",
            NOT_HANDLED: null
        },
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
        },
        hyperopsRules: function () {
            return rules;
        }
    };
})();

// cases: [{action: "...", user: "...", groups: ["..."]}, ...]; returns one answer per case
function hyperopsRunCases(cases) {
    var rules = polkit.hyperopsRules();
    if (rules.length === 0) {
        throw new Error("the rules file added no rule");
    }
    var known = {};
    for (var name in polkit.Result) {
        if (polkit.Result[name] !== null) {
            known[polkit.Result[name]] = true;
        }
    }
    var answers = [];
    for (var i = 0; i < cases.length; i++) {
        var entry = cases[i];
        var action = { id: entry.action, lookup: function () { return undefined; } };
        var subject = {
            user: entry.user,
            groups: entry.groups,
            pid: 4242,
            local: true,
            active: true,
            session: "1",
            seat: "seat0",
            isInGroup: (function (groups) {
                return function (group) { return groups.indexOf(group) >= 0; };
            })(entry.groups),
            isInNetGroup: function () { return false; }
        };
        var answer = "not_handled";
        for (var r = 0; r < rules.length; r++) {
            var result = rules[r](action, subject);
            if (result !== undefined && result !== null) {
                if (known[result] !== true) {
                    throw new Error("rule returned " + JSON.stringify(result) + " for " + entry.action + ", which is no polkit.Result");
                }
                answer = result;
                break;
            }
        }
        answers.push(answer);
    }
    return answers;
}
