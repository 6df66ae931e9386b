/* The infusion calculator's form: reads the inputs, shows messages or the plan, prints the plan.
 * The arithmetic is InfusionPlan (infusion-plan.js); the label values are the JSON the build
 * writes into the page. Runs from file:// with no network. Does nothing on other pages. */
(function () {
  "use strict";

  var FIELDS = ["weight", "weightConfirmed", "height", "sex", "dose", "doseBasis", "days",
    "atRisk", "basis"];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  // No thousands separator (a decimal-comma reader could misread "1,400"); at most 2 decimals.
  function number(value, unit) {
    var text = (Math.round(value * 100) / 100).toString();
    return text + (unit ? " " + unit : "");
  }

  function checked(form, name) {
    var input = form.querySelector("input[name=" + name + "]:checked");
    return input ? input.value : "";
  }

  function readForm(form) {
    return {
      weight: form.elements.weight.value,
      weightConfirmed: form.elements.weightConfirmed.checked,
      height: form.elements.height.value,
      sex: checked(form, "sex"),
      dose: form.elements.dose.value,
      doseBasis: checked(form, "doseBasis"),
      days: form.elements.days.value,
      atRisk: checked(form, "atRisk"),
      basis: checked(form, "basis")
    };
  }

  function showErrors(form, errors, warnings) {
    var first = null;
    FIELDS.forEach(function (field) {
      var message = document.getElementById("calc-" + field + "-error");
      var input = form.elements[field];
      if (input && input.length !== undefined && !input.tagName) input = input[0]; // radio group
      var text = errors[field] || "";
      if (message) message.textContent = text;
      if (input) {
        if (text) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
      if (text && !first) first = input;
    });
    var warning = document.getElementById("calc-weight-warning");
    warning.textContent = warnings.weight || "";
    form.querySelector(".calc-confirm").hidden = !warnings.weight;
    return first;
  }

  function showWeights(values, label) {
    var target = document.getElementById("calc-weights");
    var w = values && values.weights;
    if (!w) { target.textContent = ""; return; }
    target.textContent = "Actual " + number(w.actualKg, "kg") + " · BMI " + number(w.bmi) +
      (w.idealKg !== null ? " · ideal (Devine) " + number(w.idealKg, "kg") : "") +
      (w.adjustedKg !== null ? " · adjusted " + number(w.adjustedKg, "kg") : "") + "." +
      (w.exclusion ? " " + w.exclusion : "");
  }

  function stepRows(plan) {
    return plan.steps.map(function (step, index) {
      var name = index === 0 ? "Start" : "Step " + (index + 1);
      var rate = [number(step.mlPerKgMin) + " mL/kg/min", el("br"),
        el("span", { "class": "calc-mg" }, ["= " + step.mgPerKgMin.toFixed(1) + " mg/kg/min"])];
      if (!step.reached) {
        return el("tr", { "class": "calc-not-reached" }, [
          el("th", { scope: "row", "data-label": "Step" }, [name]),
          el("td", { "data-label": "Rate" }, rate),
          el("td", { "data-label": "Pump" }, [number(step.mlPerHour, "mL/h")]),
          el("td", { "data-label": "Runs" }, ["—"]),
          el("td", { "data-label": "Then" }, ["Not reached: the day's dose is in before this step."])
        ]);
      }
      var then = step.finishes ? "Day's dose in; stop." :
        (step.last ? "Until the day's dose is in." : "Go up after " + step.holdMin + " min, if tolerated.");
      return el("tr", {}, [
        el("th", { scope: "row", "data-label": "Step" }, [name, el("br"),
          el("span", { "class": "calc-mg" }, ["from " + window.InfusionPlan.formatMinutes(step.startMin)])]),
        el("td", { "data-label": "Rate" }, rate),
        el("td", { "data-label": "Pump" }, [el("strong", {}, [number(step.mlPerHour, "mL/h")])]),
        el("td", { "data-label": "Runs" }, [window.InfusionPlan.formatMinutes(step.minutes) + " · " +
          number(step.volumeMl, "mL")]),
        el("td", { "data-label": "Then" }, [then])
      ]);
    });
  }

  function line(label) {
    return el("p", { "class": "calc-line" }, [label + ": ", el("span", { "class": "calc-blank" }, [])]);
  }

  function render(result, label, values, target, version) {
    var plan = result.plan;
    var P = window.InfusionPlan;
    var w = plan.weights;
    var ceilingName = plan.atRisk ? "at-risk ceiling" : "DM ceiling";
    var today = P.localDate(new Date());
    target.textContent = "";
    var table = el("table", {}, [
      el("caption", {}, ["Rate steps for each day (" + label.stepIntervalMin + "-minute steps, stopping at the " + ceilingName + "; pump rates for " + number(plan.dosingKg, "kg") + ")"]),
      el("thead", {}, [el("tr", {}, [
        el("th", { scope: "col" }, ["Step"]),
        el("th", { scope: "col" }, ["Rate"]),
        el("th", { scope: "col" }, ["Pump rate"]),
        el("th", { scope: "col" }, ["Runs for · volume"]),
        el("th", { scope: "col" }, ["Then"])
      ])]),
      el("tbody", {}, stepRows(plan))
    ]);
    var vialText = plan.vials.vials.map(function (v) { return v.count + " × " + number(v.sizeG, "g"); }).join(" + ");
    var diff = plan.vials.differenceG;
    var ceilingText = number(plan.ceilingMlPerKgMin, "mL/kg/min") + " = " +
      plan.ceilingMgPerKgMin.toFixed(1) + " mg/kg/min (" + ceilingName + ")";
    var parts = [
      el("h3", { id: "infusion-plan", tabindex: "-1" }, [label.product + " in adult DM: infusion plan"]),
      el("div", { "class": "calc-order-lines" }, [
        line("Patient name"), line("Patient ID"), line("Date of birth"),
        line("Prescriber (name, signature)"), line("Second checker (name, signature)"),
        el("p", { "class": "calc-line" }, ["Plan date (local): " + today])
      ]),
      el("p", { "class": "calc-inputs" }, [
        "Entered: actual weight " + number(values.weightKg, "kg") + ", height " + number(values.heightCm, "cm") +
        ", " + values.sex + "; dose " + number(values.perCycleGPerKg, "g/kg") + " per cycle = " +
        number(P.floorTo(values.perDayGPerKg, 3), "g/kg") + " per day over " + values.days + " days (entered per " +
        values.doseBasis + "); at risk: " + (plan.atRisk ? "yes" : "no") + "."
      ]),
      el("ul", {}, [
        el("li", {}, ["Dosing weight: ", el("strong", {}, [(plan.basis === "adjusted" ? "adjusted weight " : "actual weight ") + number(plan.dosingKg, "kg")]),
          ". BMI " + number(w.bmi) + (w.idealKg !== null ? "; ideal (Devine) " + number(w.idealKg, "kg") : "") +
          (w.adjustedKg !== null ? "; adjusted " + number(w.adjustedKg, "kg") : "") + "." + (w.exclusion ? " " + w.exclusion : "") +
          " Formulas: " + label.labels.nba + "; BMI threshold: " + label.labels.ontario + "."]),
        el("li", {}, ["Per cycle: ", el("strong", {}, [number(plan.totalG, "g")]), " (" + number(plan.totalMl, "mL") + ")."]),
        el("li", {}, ["Each day: calculated " + number(plan.perDayG, "g") + "; draw ",
          el("strong", {}, [number(plan.vials.drawnG, "g") + " = " + number(plan.perDayMl, "mL")]),
          " as " + vialText + " (" + (diff === 0 ? "no difference" : (diff > 0 ? "+" : "") + number(diff, "g") + ", " +
          (diff > 0 ? "+" : "") + number(plan.vials.differencePercent) + "%") + "). Rounded to the nearest amount whole vials make up " +
          "(editors' rule; local policy may differ). Vial sizes: " + label.labels.maker + "."]),
        el("li", {}, ["Ceiling used: " + ceilingText + "." + (plan.atRisk && label.atRiskException ?
          " " + label.atRiskException.charAt(0).toUpperCase() + label.atRiskException.slice(1) + "." : "") +
          " Pump rates use the dosing weight (editors' choice: the lower figure when the dose is on adjusted weight)."]),
        el("li", {}, ["Shortest possible infusion time per day: ",
          el("strong", {}, [P.formatMinutes(plan.shortestMinutesPerDay)]),
          ", if every step is tolerated; slower in practice."])
      ]),
      el("div", { "class": "md-typeset__table calc-table" }, [table])
    ];
    var warnings = [];
    if (plan.vials && plan.vialWarning)
      warnings.push("The vials differ from the calculated amount by more than " + P.LIMITS.vialDifferencePercent +
        "% (editors' threshold): check the dose, or draw a part vial by local policy.");
    if (plan.largeVolume)
      warnings.push(number(plan.perDayMl, "mL") + " a day is a large volume (over " + P.LIMITS.largeDailyMl +
        " mL, the editors' threshold, not a label limit): consider more days and the patient's heart, lungs and kidneys.");
    if (plan.poolingWarning)
      warnings.push("If bottles are pooled into a bag, the label says to infuse within " + label.poolingHours +
        " hours of pooling; this day takes at least " + P.formatMinutes(plan.shortestMinutesPerDay) +
        ", so any hold may pass that limit: pool in parts or hang bottles.");
    if (warnings.length)
      parts.push(el("div", { "class": "calc-plan-warning", role: "note" }, warnings.map(function (t) { return el("p", {}, [t]); })));
    parts.push(el("p", { "class": "calc-source" }, [
      label.product + ": " + label.labels.us + " (checked against the " + label.labels.us_current +
      ", last checked " + label.checked.us_current + "); step timing: " + label.labels.eu +
      ". Guide version " + version + ". Plan made " + today + " (local date)."
    ]));
    parts.push(el("p", { "class": "calc-disclaimer" }, [
      "Educational aid. Check every number against the current product label and your local protocol; it does not replace clinical judgement."
    ]));
    var print = el("button", { type: "button", "class": "md-button calc-print" }, ["Print this plan"]);
    print.addEventListener("click", function () {
      document.body.classList.add("print-infusion-plan");
      window.print();
    });
    parts.push(el("p", { "class": "calc-print-line" }, [print]));
    parts.forEach(function (part) { target.appendChild(part); });
  }

  function setUp(root) {
    var form = root.querySelector("form");
    var target = root.querySelector(".calc-result");
    var data = root.querySelector("#infusion-label");
    if (!form || !target || !data || !window.InfusionPlan) return;
    var label = JSON.parse(data.textContent);
    var version = root.getAttribute("data-guide-version") || "";
    var submitted = false;

    function update(moveFocus) {
      var result = window.InfusionPlan.calculate(readForm(form), label);
      var first = showErrors(form, result.ok ? {} : result.errors, result.warnings || {});
      showWeights(result.values, label);
      if (!result.ok) {
        target.textContent = "";
        target.appendChild(el("p", { "class": "calc-error" }, ["No plan yet: correct the fields marked above."]));
        if (moveFocus && first) first.focus();
        return;
      }
      render(result, label, result.values, target, version);
      if (moveFocus) document.getElementById("infusion-plan").focus();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submitted = true;
      update(true);
    });
    // A confirmation belongs to the weight it confirmed: a new weight must be confirmed again.
    form.elements.weight.addEventListener("input", function () {
      form.elements.weightConfirmed.checked = false;
    });
    form.addEventListener("input", function () { if (submitted) update(false); });
    form.addEventListener("change", function () { if (submitted) update(false); });
    window.addEventListener("afterprint", function () {
      document.body.classList.remove("print-infusion-plan");
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".infusion-calculator"), setUp);
  }

  // Material's instant navigation is off; a plain load is enough.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
