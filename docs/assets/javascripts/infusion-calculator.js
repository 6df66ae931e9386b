/* The infusion calculator's form: reads the inputs, shows messages or the plan, prints the plan.
 * The arithmetic is InfusionPlan (infusion-plan.js); the label values are the JSON the build
 * writes into the page. Runs from file:// with no network. Does nothing on other pages. */
(function () {
  "use strict";

  var FIELDS = ["weight", "dose", "days", "height", "sex"];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function number(value, unit) {
    return value.toLocaleString("en-US", { maximumFractionDigits: 2 }) + (unit ? " " + unit : "");
  }

  function readForm(form) {
    var sex = form.querySelector("input[name=sex]:checked");
    return {
      weight: form.elements.weight.value,
      dose: form.elements.dose.value,
      days: form.elements.days.value,
      atRisk: form.elements.atRisk.checked,
      height: form.elements.height.value,
      sex: sex ? sex.value : ""
    };
  }

  function showErrors(form, errors) {
    var first = null;
    FIELDS.forEach(function (field) {
      var message = document.getElementById("calc-" + field + "-error");
      var input = field === "sex" ? null : form.elements[field];
      var text = errors[field] || "";
      if (message) message.textContent = text;
      if (input) {
        if (text) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
      if (text && !first) first = input || form.querySelector("input[name=sex]");
    });
    return first;
  }

  function stepRows(plan) {
    return plan.steps.map(function (step, index) {
      var when = index === 0 ? "Start" : "From " + step.startMin + " min";
      var hold = step.holdMin === null ? "until the day's dose is in" : step.holdMin + " min, if tolerated";
      var row = el("tr", step.reached ? {} : { "class": "calc-not-reached" }, [
        el("td", {}, [when]),
        el("td", {}, [number(step.mlPerKgMin), el("br"),
          el("span", { "class": "calc-mg" }, ["= " + step.mgPerKgMin.toFixed(1) + " mg/kg/min"])]),
        el("td", {}, [el("strong", {}, [number(step.mlPerHour, "mL/h")])]),
        el("td", {}, [step.reached ? hold : "not reached: the day's dose is in before this step"])
      ]);
      return row;
    });
  }

  function render(result, label, values, target) {
    var plan = result.plan;
    var ceilingName = plan.atRisk ? "at-risk ceiling" : "DM ceiling";
    var today = new Date().toISOString().slice(0, 10);
    target.textContent = "";
    var table = el("table", {}, [
      el("caption", {}, ["Rate steps for each day (" + label.stepIntervalMin + "-minute steps, stopping at the " + ceilingName + ")"]),
      el("thead", {}, [el("tr", {}, [
        el("th", { scope: "col" }, ["When"]),
        el("th", { scope: "col" }, ["Rate (mL/kg/min)"]),
        el("th", { scope: "col" }, ["Pump rate"]),
        el("th", { scope: "col" }, ["Hold"])
      ])]),
      el("tbody", {}, stepRows(plan))
    ]);
    var parts = [
      el("h3", { id: "infusion-plan", tabindex: "-1" }, ["Infusion plan"]),
      el("p", { "class": "calc-inputs" }, [
        "Weight " + number(values.weightKg, "kg") + " · dose " + number(values.doseGPerKg, "g/kg") +
        " · over " + values.days + " days · " +
        (plan.atRisk ? "at risk of renal dysfunction or thrombosis" : "no risk factor ticked") + "."
      ]),
      el("ul", {}, [
        el("li", {}, ["Total per cycle: ", el("strong", {}, [number(plan.totalG, "g")]), " (" + number(plan.totalMl, "mL") + ")."]),
        el("li", {}, ["Each day: ", el("strong", {}, [number(plan.perDayG, "g") + " = " + number(plan.perDayMl, "mL")]), "."]),
        el("li", {}, ["Ceiling used: " + number(plan.ceilingMlPerKgMin, "mL/kg/min") + " (" + ceilingName + ")."]),
        el("li", {}, ["Shortest possible infusion time per day: ",
          el("strong", {}, [window.InfusionPlan.formatMinutes(plan.shortestMinutesPerDay)]),
          ", if every step is tolerated; slower in practice."])
      ]),
      el("div", { "class": "md-typeset__table calc-table" }, [table])
    ];
    if (plan.weights) {
      parts.push(el("p", { "class": "calc-weights" }, [
        "Alternative dosing weights (not applied above): ideal body weight (Devine) " +
        number(plan.weights.idealKg, "kg") + "; dose-determining weight " +
        number(plan.weights.doseDeterminingKg, "kg") + "." +
        (plan.weights.actualAboveIdeal ? "" : " The actual weight is at or below the ideal weight, so the adjustment would not lower the dose.") +
        " See “Dosing weight” below for where these come from."
      ]));
    }
    parts.push(el("p", { "class": "calc-source" }, [
      label.product + ": " + label.labels.us + "; step timing: " + label.labels.eu +
      ". Plan made " + today + "."
    ]));
    parts.push(el("p", { "class": "calc-disclaimer" }, [
      "Educational aid. Check every number against the current product label and your local protocol; it does not replace clinical judgement."
    ]));
    var print = el("button", { type: "button", "class": "md-button calc-print" }, ["Print this plan"]);
    print.addEventListener("click", function () {
      document.body.classList.add("print-infusion-plan");
      window.print();
    });
    parts.push(el("p", {}, [print]));
    parts.forEach(function (part) { target.appendChild(part); });
  }

  function setUp(root) {
    var form = root.querySelector("form");
    var target = root.querySelector(".calc-result");
    var data = root.querySelector("#infusion-label");
    if (!form || !target || !data || !window.InfusionPlan) return;
    var label = JSON.parse(data.textContent);
    var submitted = false;

    function update(moveFocus) {
      var result = window.InfusionPlan.calculate(readForm(form), label);
      var first = showErrors(form, result.ok ? {} : result.errors);
      if (!result.ok) {
        target.textContent = "";
        target.appendChild(el("p", { "class": "calc-error" }, ["No plan yet: correct the fields marked above."]));
        if (moveFocus && first) first.focus();
        return;
      }
      render(result, label, result.values, target);
      if (moveFocus) document.getElementById("infusion-plan").focus();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submitted = true;
      update(true);
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
