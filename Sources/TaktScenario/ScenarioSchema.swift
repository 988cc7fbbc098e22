import Foundation

/// A JSON Schema (draft 2020-12) of the scenario format, for editors' completion and
/// checking. Structure and key names come from the same lists the reader enforces; values
/// with their own syntax (durations, distributions) are checked by pattern only — `takt
/// validate` is the full check.
public enum ScenarioSchema {
    static var duration: [String: Any] { ["type": "string", "pattern": "^[0-9][0-9_.]*(ms|s|m|min|h|d|w)$"] }
    static var distribution: [String: Any] {
        [
            "type": "string",
            "pattern": "^([a-z]+\\(.*\\)|[0-9][0-9_.]*(ms|s|m|min|h|d|w))$",
            "description":
                "a distribution such as exp(9h), normal(22s, 1.5s), lognormal(mean: 20m, sd: 10m), or a constant such as 30s",
        ]
    }
    static var power: [String: Any] { ["type": "string", "pattern": "^[0-9][0-9_.]*(W|kW|MW)$"] }
    static var probability: [String: Any] { ["type": "number", "minimum": 0, "maximum": 1] }
    static var count: [String: Any] { ["type": "integer", "minimum": 0] }
    static var positiveCount: [String: Any] { ["type": "integer", "minimum": 1] }
    static var name: [String: Any] { ["type": "string", "minLength": 1] }
    static var kpiPattern: [String: Any] { ["type": "string", "minLength": 1, "pattern": "^[^\\s]+$"] }
    static var clock: [String: Any] {
        ["type": "string", "pattern": "^([0-9]{1,2}:[0-9]{2}|[0-9][0-9_.]*(ms|s|m|min|h|d|w))$"]
    }
    static var measureValue: [String: Any] {
        ["anyOf": [["type": "number"], ["type": "string", "pattern": "^-?[0-9][0-9_.]*[A-Za-z]*$"]]]
    }

    static func object(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
        [
            "type": "object", "properties": properties, "required": required, "additionalProperties": false,
            "patternProperties": ["^\\.": [:] as [String: Any], "^<<$": [:] as [String: Any]],
        ]
    }

    static func list(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }

    /// The schema as a JSON object.
    public static var document: [String: Any] {
        let station = object(
            [
                "id": name, "machines": positiveCount,
                "cycle": ["anyOf": [distribution, ["type": "object", "additionalProperties": distribution]]],
                "buffer": count,
                "failures": object(
                    [
                        "between": distribution, "repair": distribution, "clock": ["enum": ["operating", "calendar"]],
                        "after_units": positiveCount, "technicians": name,
                    ], required: ["repair"]),
                "setup": [
                    "type": "object", "additionalProperties": ["type": "object", "additionalProperties": duration],
                ],
                "defects": list(object(["name": name, "p": probability], required: ["name", "p"])),
                "inspects": object(
                    [
                        "defects": list(name),
                        "detect": ["anyOf": [probability, ["type": "object", "additionalProperties": probability]]],
                        "false_reject": probability,
                    ],
                    required: ["defects", "detect"]),
                "rework": object(["station": name, "back_to": name, "max": count]),
                "batch": object(
                    ["capacity": positiveCount, "max_wait": duration], required: ["capacity", "max_wait"]),
                "operators": name, "calendar": name,
                "ideal_cycle": ["anyOf": [duration, ["type": "object", "additionalProperties": duration]]],
                "energy": object(
                    Dictionary(
                        uniqueKeysWithValues: ["busy", "setup", "idle", "blocked", "down", "planned_stop"].map {
                            ($0, power)
                        })),
                "measures": object(
                    [
                        "name": name, "unit": name, "nominal": measureValue, "sd": measureValue,
                        "drift_per_hour": measureValue,
                        "lsl": measureValue, "usl": measureValue,
                        "out_of_spec": [
                            "anyOf": [
                                ["enum": ["scrap", "nothing"]], object(["defect": name]),
                                object(["rework": name, "max": count], required: ["rework"]),
                            ]
                        ],
                    ], required: ["name", "nominal", "sd"]),
            ], required: ["id", "cycle"])
        let step: [String: Any] = [
            "anyOf": [
                name,
                object(
                    ["station": name, "branch": ["type": "object", "additionalProperties": probability]],
                    required: ["station"]),
            ]
        ]
        let product = object(
            [
                "id": name, "route": ["type": "array", "items": step, "minItems": 1],
                "bom": list(
                    object(["material": name, "qty": positiveCount, "at": name], required: ["material", "at"])),
                "ideal_cycle": duration,
            ], required: ["id", "route"])
        let source = object(
            [
                "product": name, "mix": ["type": "object", "additionalProperties": probability], "every": distribution,
                "supply": ["enum": ["unlimited"]], "run_length": positiveCount, "limit": positiveCount,
            ])
        let shift = object(
            [
                "name": name, "start": clock, "length": duration,
                "breaks": list(object(["at": clock, "length": duration], required: ["at", "length"])),
            ], required: ["start", "length"])
        let calendar = object(
            [
                "name": name, "cycle": duration, "shifts": list(shift),
                "stops": list(object(["start": clock, "length": duration], required: ["start", "length"])),
            ], required: ["name"])
        let pool = object(["pool": name, "size": positiveCount], required: ["pool", "size"])
        let rules = "fifo|fcfs-operation|spt|lpt|edd|cr|min-slack|atc"
        let dispatchRule: [String: Any] = [
            "type": "string", "pattern": "^(\(rules)|setup-aware(\\((\(rules))\\))?)$",
        ]
        var root = object(
            [
                "name": name, "description": ["type": "string"], "horizon": duration, "warmup": duration,
                "replications": positiveCount, "seed": count,
                "generator": ["enum": ["taus2", "mt19937", "gfsr4", "ranlxd2"]],
                "calendars": list(calendar),
                "materials": list(
                    object(
                        [
                            "id": name, "lot_size": positiveCount,
                            "lots": [
                                "type": "object",
                                "additionalProperties": object(
                                    ["defect": name, "p": probability], required: ["defect", "p"]),
                            ],
                            "supply": object(
                                ["lots": positiveCount, "lead_time": duration], required: ["lots", "lead_time"]),
                        ], required: ["id", "lot_size"])),
                "products": list(product), "stations": list(station),
                "buffers": object([
                    "default_capacity": count, "between": ["type": "object", "additionalProperties": count],
                ]),
                "sources": list(source), "operators": list(pool), "technicians": list(pool),
                "equipment": object(["enterprise": name, "site": name, "area": name, "line": name]),
                "oee": object(["minor_stop": duration]),
                "snapshot": ["type": "array", "items": duration],
                "run": object(["operator": ["type": "string", "minLength": 1, "pattern": "^[^\\u0000-\\u001f]+$"]]),
                "mes": object(
                    [
                        "orders": object([
                            "generate": object(
                                [
                                    "every": distribution, "quantity": distribution, "due_in": distribution,
                                    "product": name,
                                    "mix": ["type": "object", "additionalProperties": probability],
                                ],
                                required: ["every", "quantity", "due_in"]),
                            "book": name,
                            "make_up": ["type": "boolean"],
                        ]),
                        "release": [
                            "anyOf": [
                                ["enum": ["push"]],
                                object(
                                    [
                                        "policy": ["enum": ["push", "conwip", "kanban", "schedule"]],
                                        "wip_cap": positiveCount,
                                        "cards": ["type": "object", "additionalProperties": count],
                                        "lead_time": duration,
                                    ],
                                    required: ["policy"]),
                            ]
                        ],
                        "record_operations": ["type": "boolean"],
                        "traceability": object([
                            "granularity": ["enum": ["serial", "lot", "window"]], "window": duration,
                            "recall": list(
                                object(
                                    [
                                        "material": name, "lot": positiveCount, "at": duration,
                                        "investigation": duration,
                                    ],
                                    required: ["material", "lot", "at"])),
                        ]),
                        "spc": list(
                            object(
                                [
                                    "station": name,
                                    "chart": [
                                        "type": "string",
                                        "pattern":
                                            "^(individuals|ewma|cusum|xbar-[rs]\\(([2-9]|1[0-9]|2[0-5])\\)|(ewma|cusum)\\(([1-9]|1[0-9]|2[0-5])\\)|(np|c)\\([0-9]+\\)|(p|u)\\([^)]+\\))$",
                                    ],
                                    "baseline": [
                                        "anyOf": [
                                            positiveCount,
                                            object(
                                                ["mean": measureValue, "sigma": measureValue],
                                                required: ["mean", "sigma"]),
                                            object(["p": ["type": "number"]], required: ["p"]),
                                            object(["c": ["type": "number"]], required: ["c"]),
                                            object(["u": ["type": "number"]], required: ["u"]),
                                        ]
                                    ],
                                    "lambda": ["type": "number"], "width": ["type": "number"], "k": ["type": "number"],
                                    "h": ["type": "number"], "rework_at": name,
                                    "adjust": object(["error": distribution], required: ["error"]),
                                    "rules": [
                                        "anyOf": [
                                            ["type": "string"], ["type": "array", "items": ["type": "string"]],
                                        ]
                                    ],
                                    "react": list([
                                        "type": "string",
                                        "pattern": "^(adjust|notify|hold_(station|units)\\(.+\\))$",
                                    ]),
                                ], required: ["station", "chart"])),
                        "variables": ["type": "object", "additionalProperties": ["type": "number"]],
                        "maintenance": list(
                            object(
                                [
                                    "station": name,
                                    "every": [
                                        "type": "string",
                                        "pattern": "^([0-9.]+ ?(ms|s|m|min|h|d|w)( operating)?|[0-9]+ units?)$",
                                    ],
                                    "duration": duration,
                                    "planned": ["type": "boolean"],
                                ], required: ["station", "every", "duration"])),
                        "rules": list(
                            object(
                                [
                                    "name": name, "owner": ["type": "string"], "when": ["type": "string"],
                                    "then": [
                                        "anyOf": [
                                            ["type": "string"], ["type": "array", "items": ["type": "string"]],
                                        ]
                                    ],
                                ], required: ["when", "then"])),
                        "dispatch": [
                            "anyOf": [
                                dispatchRule,
                                object(
                                    ["rule": dispatchRule, "ties": ["enum": ["arrival", "job", "release"]]],
                                    required: ["rule"]),
                            ]
                        ],
                    ], required: ["orders"]),
                "incidents": list(
                    object(
                        [
                            "at": ["type": "string"],
                            "do": [
                                "anyOf": [["type": "string"], ["type": "array", "items": ["type": "string"]]]
                            ],
                        ], required: ["at", "do"])),
                "exercise": object(
                    [
                        "title": name,
                        "steps": [
                            "type": "array", "minItems": 1,
                            "items": object(
                                [
                                    "at": ["type": "string"], "note": ["type": "string"],
                                    "question": ["type": "string"], "pause": ["type": "boolean"],
                                    "do": [
                                        "anyOf": [
                                            ["type": "string"], ["type": "array", "items": ["type": "string"]],
                                        ]
                                    ],
                                ], required: ["at"]),
                        ],
                    ], required: ["title", "steps"]),
                "assert": list(["type": "string"]),
                "check": object([
                    "kpis": ["type": "array", "minItems": 1, "items": kpiPattern],
                    "ignore": ["type": "array", "items": kpiPattern],
                    "tolerance": [
                        "type": "object",
                        "additionalProperties": [
                            "anyOf": [
                                ["type": "number", "minimum": 0],
                                ["type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?%$"],
                            ]
                        ],
                    ],
                ]),
            ], required: ["name", "horizon", "products", "stations"])
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        root["title"] = "Takt scenario"
        return root
    }

    /// The schema as pretty-printed JSON text.
    public static var json: String {
        let data = try? JSONSerialization.data(
            withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    /// The keys the schema allows at the top level and in a station, to test against the reader.
    public static var topLevelKeys: [String] { ((document["properties"] as? [String: Any]) ?? [:]).keys.sorted() }
    public static var stationKeys: [String] {
        let stations = (document["properties"] as? [String: Any])?["stations"] as? [String: Any]
        let items = stations?["items"] as? [String: Any]
        return ((items?["properties"] as? [String: Any]) ?? [:]).keys.sorted()
    }
}
