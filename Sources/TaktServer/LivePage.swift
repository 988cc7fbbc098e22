import Foundation
import TaktMES
import TaktReport
import TaktScenario

/// The trainer's page: self-contained (no CDN, works offline), readable on a projector at
/// 1280×720. The line is the report's diagram (``LineDiagram/live(_:)``), in the report's
/// state colours and patterns; the page fills it, the gauges, the chart, the order board and
/// the ticker from the state the server streams.
enum LivePage {
    /// The names the command panel offers, as JSON.
    static func scenarioJSON(_ scenario: Scenario) -> String {
        var machines: [String: [String]] = [:]
        for unit in scenario.equipment.workUnits { machines[unit.name] = unit.machines }
        let object: [String: Any] = [
            "name": scenario.name,
            "stations": scenario.layout.stations.map(\.name),
            "machines": scenario.equipment.machineNames,
            "materials": scenario.layout.materials.map(\.name),
            "products": scenario.layout.products.map(\.name),
            "dispatch": DispatchRuleKind.names,
            "patterns": LineDiagram.statePatterns,
            "exercise": scenario.exercise?.title ?? "",
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        // Inside a <script> element: no `</` may close it early.
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
    }

    static func html(_ scenario: Scenario) -> String {
        let diagram = LineDiagram.live(
            scenario.equipment.workUnits.map { ($0.name, $0.machines) })
        let title = escapedHTML("\(scenario.name) — Takt live")
        return #"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
            <title>\#(title)</title>
            <style>
            *{box-sizing:border-box}
            body{margin:0;font:15px/1.3 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#fafafa}
            header{display:flex;align-items:center;gap:8px;padding:5px 10px;background:#263238;color:#fff;flex-wrap:wrap}
            header h1{font-size:16px;margin:0;font-weight:600}
            #clock{font-size:21px;font-weight:700;font-variant-numeric:tabular-nums;min-width:230px}
            #status{padding:2px 8px;border-radius:4px;background:#546e7a;font-weight:600}
            #status.running{background:#2e7d32}#status.paused{background:#ef6c00}#status.finished{background:#37474f}
            button,select,input{font:inherit}
            header button{background:#eceff1;border:0;border-radius:4px;padding:3px 7px;cursor:pointer;font-size:14px}
            header button.on{background:#ffca28}
            main{display:grid;grid-template-columns:1.1fr 1fr 1.2fr;grid-template-rows:auto 205px minmax(170px,1fr);gap:6px;padding:6px}
            section{background:#fff;border:1px solid #cfd8dc;border-radius:6px;padding:6px 8px;overflow:auto}
            section h2{font-size:14px;margin:0 0 4px;text-transform:uppercase;letter-spacing:.04em;color:#455a64}
            #line{grid-column:1/4;padding:2px}#line svg{width:100%;height:auto;max-height:175px}
            #gauges{display:flex;flex-wrap:wrap;gap:4px}
            .gauge{width:64px;text-align:center;font-size:11px}.gauge.line{width:84px;font-weight:700}
            table{border-collapse:collapse;width:100%;font-size:13px}td,th{padding:2px 4px;text-align:left;border-bottom:1px solid #eceff1}
            tr.late td{color:#b71c1c;font-weight:600}tr.ended td{color:#90a4ae}tr.held td{background:#fff3e0}
            #ticker{list-style:none;margin:0;padding:0;font-size:14px}#ticker li{padding:3px 0;border-bottom:1px solid #eceff1}
            #ticker time{font-weight:700;margin-right:6px;font-variant-numeric:tabular-nums}
            #command label{display:inline-block;margin:2px 6px 2px 0}
            #preview{font-family:ui-monospace,monospace;background:#eceff1;padding:2px 6px;border-radius:3px}
            #reply{min-height:1.3em;font-size:13px}#reply.error{color:#b71c1c}#reply.ok{color:#2e7d32}
            #exercise{grid-column:1/4;display:none;background:#fffde7;border-color:#fbc02d}
            #modal{position:fixed;inset:0;background:rgba(0,0,0,.45);display:none;align-items:center;justify-content:center}
            #modal div{background:#fff;padding:16px 20px;border-radius:8px;max-width:640px}
            #modal button{margin:10px 10px 0 0;padding:6px 16px}
            </style></head>
            <body>
            <header><h1>\#(title)</h1><span id="clock">–</span><span id="status">connecting</span>
            <button id="pause" title="pause the session">Pause</button><button id="play" title="run at the chosen speed">Play</button>
            <button data-step="event" title="run one event">+1 event</button><button data-step="minute" title="run one simulated minute">+1 min</button><button data-step="decision" title="run to the MES's next decision">next decision</button>
            <span>speed: <button data-speed="1">1×</button><button data-speed="10">10×</button><button data-speed="60">60×</button><button data-speed="600">600×</button><button data-speed="max">max</button></span>
            <span id="events"></span></header>
            <main>
            <section id="exercise"><h2 id="exercise-title">Exercise</h2><div id="exercise-note"></div><div id="exercise-question" style="font-weight:700"></div></section>
            <section id="line">\#(diagram)</section>
            <section><h2>OEE so far (ISO 22400-2)</h2><div id="gauges"></div></section>
            <section><h2>WIP and output, last hours</h2><svg id="chart" viewBox="0 0 420 170" width="100%" height="170"></svg></section>
            <section><h2>Orders</h2><table><thead><tr><th>order</th><th>product</th><th>done</th><th>state</th><th>due</th></tr></thead><tbody id="orders"></tbody></table></section>
            <section style="grid-column:1/3"><h2>MES decisions</h2><ul id="ticker"></ul></section>
            <section id="command"><h2>Trainer's command</h2>
            <label>do <select id="kind"></select></label><span id="fields"></span><br>
            <label>reason <input id="reason" size="30" placeholder="why (recorded in the audit trail)"></label>
            <label>by <input id="operator" size="12" placeholder="trainer"></label>
            <div>→ <span id="preview"></span> <button id="send">Send…</button></div><div id="reply"></div></section>
            </main>
            <div id="modal"><div><div id="confirm-text"></div><button id="confirm-yes">Yes, do it</button><button id="confirm-no">Cancel</button></div></div>
            <script id="scenario" type="application/json">\#(scenarioJSON(scenario))</script>
            <script>
            \#(script)
            </script>
            </body></html>
            """#
    }

    static func escapedHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The page's behaviour.
    static let script = #"""
        "use strict";
        const token = new URLSearchParams(location.search).get("token") || "";
        const scenario = JSON.parse(document.getElementById("scenario").textContent);
        const $ = id => document.getElementById(id);
        let last = null;
        function clockOf(t) {
          const day = Math.floor(t / 86400) + 1, s = t - (day - 1) * 86400;
          const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
          return "day " + day + " " + String(h).padStart(2, "0") + ":" + String(m).padStart(2, "0");
        }
        function pct(x) { return x == null ? "–" : (100 * x).toFixed(1) + "%"; }
        function gauge(name, value, big) {
          const v = value == null ? 0 : Math.max(0, Math.min(1, value));
          const a = Math.PI * (1 - v), x = 40 + 32 * Math.cos(a), y = 42 - 32 * Math.sin(a);
          const colour = value == null ? "#b0bec5" : v < 0.5 ? "#c62828" : v < 0.65 ? "#ef6c00" : "#2e7d32";
          return '<div class="gauge' + (big ? " line" : "") + '"><svg viewBox="0 0 80 48" width="' + (big ? 80 : 60) + '">' +
            '<path d="M8,42 A32,32 0 0 1 72,42" fill="none" stroke="#eceff1" stroke-width="8"/>' +
            (v > 0 ? '<path d="M8,42 A32,32 0 ' + (v > 0.5 ? 0 : 0) + ' 1 ' + x.toFixed(1) + "," + y.toFixed(1) + '" fill="none" stroke="' + colour + '" stroke-width="8"/>' : "") +
            '<text x="40" y="40" text-anchor="middle" font-size="13" font-weight="700">' + pct(value) + "</text></svg><br>" + name + "</div>";
        }
        function esc(s) { return String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c])); }
        function chart(history) {
          const svg = $("chart");
          if (!history || history.length < 2) { svg.innerHTML = ""; return; }
          const t0 = history[0].time, t1 = history[history.length - 1].time || 1;
          const wipMax = Math.max(1, ...history.map(p => p.workInProcess));
          const rates = history.map((p, i) => i === 0 ? 0 : (p.shipped - history[i - 1].shipped) * 3600 / Math.max(1, p.time - history[i - 1].time));
          const rateMax = Math.max(1, ...rates);
          const X = t => 30 + 380 * (t - t0) / Math.max(1, t1 - t0);
          const wip = history.map(p => X(p.time).toFixed(1) + "," + (150 - 130 * p.workInProcess / wipMax).toFixed(1)).join(" ");
          const out = history.map((p, i) => X(p.time).toFixed(1) + "," + (150 - 130 * rates[i] / rateMax).toFixed(1)).join(" ");
          svg.innerHTML = '<polyline points="' + wip + '" fill="none" stroke="#1565c0" stroke-width="2"/>' +
            '<polyline points="' + out + '" fill="none" stroke="#2e7d32" stroke-width="1.5" stroke-dasharray="4 2"/>' +
            '<line x1="30" y1="150" x2="410" y2="150" stroke="#90a4ae"/>' +
            '<text x="32" y="14" font-size="11" fill="#1565c0">WIP (max ' + wipMax + ' units)</text>' +
            '<text x="230" y="14" font-size="11" fill="#2e7d32">output (max ' + rateMax.toFixed(0) + ' units/h)</text>' +
            '<text x="30" y="165" font-size="10">' + clockOf(t0) + '</text><text x="410" y="165" font-size="10" text-anchor="end">' + clockOf(t1) + "</text>";
        }
        function render(s) {
          last = s;
          $("clock").textContent = "Day " + s.clock.day + (s.clock.shift ? " · " + s.clock.shift + " shift" : "") + " · " + s.clock.time;
          $("status").textContent = s.status + (s.speed ? " " + s.speed + "×" : s.status === "running" ? " max" : "");
          $("status").className = s.status;
          $("events").textContent = s.events.toLocaleString("en") + " events" + (s.failure ? " — " + s.failure : "");
          document.querySelectorAll("[data-speed]").forEach(b => b.classList.toggle("on", (b.dataset.speed === "max" && !s.speed) || Number(b.dataset.speed) === s.speed));
          let gauges = "";
          for (const st of s.stations) {
            const buffer = $("buffer-" + st.name); if (buffer) buffer.textContent = st.waiting;
            const oee = $("oee-" + st.name); if (oee) oee.textContent = "OEE " + pct(st.oee);
            for (const m of st.machines) {
              const cell = $("machine-" + m.name);
              if (cell) { cell.setAttribute("fill", scenario.patterns[m.state] || "#fff"); cell.setAttribute("data-state", m.state); cell.firstChild.textContent = m.name + ": " + m.state; }
              const units = $("units-" + m.name);
              if (units) units.textContent = m.units.length > 1 ? m.units.length + " units" : m.units.length === 1 ? "#" + m.units[0] : "";
            }
            gauges += gauge(st.name, st.oee, false);
          }
          $("gauges").innerHTML = gauge("line", s.line.oee, true) + gauges +
            '<div style="font-size:12px;padding:2px">WIP ' + s.line.workInProcess + " (" + s.line.onHold + " held)<br>shipped " + s.line.shipped +
            " (" + s.line.shippedLastHour + " last hour)<br>scrapped " + s.line.scrapped + "<br>dispatch " + esc(s.line.dispatch) + "<br>release " + esc(s.line.release) + "</div>";
          chart(s.history);
          $("orders").innerHTML = s.orders.map(o => {
            const ended = ["completed", "closed", "aborted"].includes(o.state);
            const cls = ended ? "ended" : o.late ? "late" : o.onHold ? "held" : "";
            return '<tr class="' + cls + '"><td>' + esc(o.id) + (o.priority > 1 ? " ⚡" : "") + "</td><td>" + esc(o.product) + "</td><td>" + o.shipped + "/" + o.quantity +
              "</td><td>" + esc(o.state) + (o.late ? " · LATE" : "") + (o.onHold ? " · HOLD" : "") + "</td><td>" + clockOf(o.due) + "</td></tr>";
          }).join("");
          $("ticker").innerHTML = s.decisions.map(d => "<li><time>" + clockOf(d.time) + "</time>" + esc(d.text) + "</li>").join("");
          const ex = s.exercise;
          if (ex) {
            $("exercise").style.display = "block";
            $("exercise-title").textContent = "Exercise: " + ex.title + " (step " + ex.step + " of " + ex.steps + ")";
            $("exercise-note").textContent = ex.note || (ex.nextPause != null ? "next pause at " + clockOf(ex.nextPause) : "");
            $("exercise-question").textContent = ex.question ? "Question: " + ex.question : "";
          }
        }
        function connect() {
          const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/stream?token=" + encodeURIComponent(token));
          ws.onmessage = e => { const d = JSON.parse(e.data); if (d.reply === undefined) render(d); };
          ws.onclose = () => { $("status").textContent = "reconnecting"; setTimeout(connect, 1000); };
        }
        function send(command) {
          return fetch("/api/commands", {method: "POST", headers: {"Authorization": "Bearer " + token, "Content-Type": "application/json"}, body: JSON.stringify(command)})
            .then(r => r.json().then(j => {
              $("reply").className = r.ok ? "ok" : "error";
              $("reply").textContent = r.ok ? "done at " + clockOf(j.time) : (j.error || "refused (" + r.status + ")");
            })).catch(e => { $("reply").className = "error"; $("reply").textContent = String(e); });
        }
        $("pause").onclick = () => send({command: "pause"});
        $("play").onclick = () => send({command: "resume"});
        document.querySelectorAll("[data-step]").forEach(b => b.onclick = () => send({command: "step", step: b.dataset.step}));
        document.querySelectorAll("[data-speed]").forEach(b => b.onclick = () => send({command: "speed", speed: b.dataset.speed}));
        const pick = (id, values) => '<select id="' + id + '">' + values.map(v => "<option>" + esc(v) + "</option>").join("") + "</select>";
        const text = (id, value, size) => '<input id="' + id + '" value="' + esc(value) + '" size="' + (size || 5) + '">';
        const kinds = {
          "fail-station": ["break a station down", () => "station " + pick("f-station", scenario.stations) + " for " + text("f-duration", "2h"), () => "fail station " + v("f-station") + " for " + v("f-duration")],
          "fail-machine": ["break a machine down", () => "machine " + pick("f-machine", scenario.machines) + " for " + text("f-duration", "1h"), () => "fail machine " + v("f-machine") + " for " + v("f-duration")],
          "repair-machine": ["repair a machine now", () => "machine " + pick("f-machine", scenario.machines), () => "repair machine " + v("f-machine")],
          "hold-station": ["hold a station", () => "station " + pick("f-station", scenario.stations) + " for " + text("f-duration", "30m") + " (empty: until released)", () => "hold station " + v("f-station") + (v("f-duration") ? " for " + v("f-duration") : "")],
          "release-station": ["release a station", () => "station " + pick("f-station", scenario.stations), () => "release station " + v("f-station")],
          "hold-unit": ["hold a unit", () => "serial " + text("f-serial", "1", 7), () => "hold unit " + v("f-serial")],
          "release-unit": ["release a unit", () => "serial " + text("f-serial", "1", 7), () => "release unit " + v("f-serial")],
          "hold-lot": ["quarantine a lot", () => pick("f-material", scenario.materials) + " lot " + text("f-lot", "3", 3), () => "hold lot " + v("f-material") + "/" + v("f-lot")],
          "release-lot": ["release a lot", () => pick("f-material", scenario.materials) + " lot " + text("f-lot", "3", 3), () => "release lot " + v("f-material") + "/" + v("f-lot")],
          "mark-lot-bad": ["mark a lot bad (recall)", () => pick("f-material", scenario.materials) + " lot " + text("f-lot", "3", 3), () => "mark lot " + v("f-material") + "/" + v("f-lot") + " bad"],
          "dispatch": ["change the dispatching rule", () => pick("f-rule", scenario.dispatch), () => "dispatch " + v("f-rule")],
          "release-policy": ["change the release policy", () => pick("f-policy", ["push", "conwip"]) + " cap " + text("f-cap", "40", 4), () => "set release " + v("f-policy") + (v("f-policy") === "conwip" ? " " + v("f-cap") : "")],
          "urgent-order": ["add an urgent order", () => pick("f-product", scenario.products) + " × " + text("f-quantity", "50", 4) + " due in " + text("f-due", "8h"), () => "add urgent order " + v("f-product") + " x " + v("f-quantity") + " due " + v("f-due")],
          "speed": ["change a station's speed", () => pick("f-station", scenario.stations) + " at " + text("f-share", "80", 3) + "%", () => "set speed " + v("f-station") + " = " + v("f-share") + "%"],
        };
        function v(id) { const e = $(id); return e ? e.value.trim() : ""; }
        $("kind").innerHTML = Object.entries(kinds).map(([k, d]) => '<option value="' + k + '">' + d[0] + "</option>").join("");
        function action() { return kinds[$("kind").value][2](); }
        function fields() { $("fields").innerHTML = " " + kinds[$("kind").value][1](); $("fields").oninput = preview; $("fields").onchange = preview; preview(); }
        function preview() { $("preview").textContent = action(); }
        $("kind").onchange = fields; fields();
        $("send").onclick = () => {
          const reason = v("reason");
          if (!reason) { $("reply").className = "error"; $("reply").textContent = "give a reason: the audit trail records it"; return; }
          $("confirm-text").textContent = "Carry out “" + action() + "” now" + (last ? " (" + clockOf(last.time) + ")" : "") + "? Reason: " + reason;
          $("modal").style.display = "flex";
        };
        $("confirm-no").onclick = () => { $("modal").style.display = "none"; };
        $("confirm-yes").onclick = () => {
          $("modal").style.display = "none";
          const command = {command: "mes", action: action(), reason: v("reason")};
          if (v("operator")) command.operator = v("operator");
          send(command);
        };
        fetch("/api/state?token=" + encodeURIComponent(token)).then(r => r.json()).then(render).catch(() => {});
        connect();
        """#
}
