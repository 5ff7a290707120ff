// Progressive enhancement of the filing steps. Without JavaScript every step
// still saves with its buttons and rows are added with "添加一行".
(function () {
  "use strict";
  const form = document.querySelector("[data-step-form]");
  if (!form) return;

  // 联盟类型: show the contact block that fits the chosen type.
  const typeInputs = form.querySelectorAll("input[name='alliance_type']");
  function showTypeBlock() {
    const chosen = form.querySelector("input[name='alliance_type']:checked");
    form.querySelectorAll("[data-type-block]").forEach(function (block) {
      const types = block.dataset.typeBlock.split(" ");
      block.hidden = Boolean(chosen) && types.indexOf(chosen.value) === -1;
    });
  }
  typeInputs.forEach(function (input) { input.addEventListener("change", showTypeBlock); });
  if (typeInputs.length) showTypeBlock();

  // 合计: computed, never typed.
  form.querySelectorAll("[data-sum-group]").forEach(function (group) {
    const output = group.querySelector("[data-sum-total]");
    const inputs = group.querySelectorAll("input[type='number']");
    function sum() {
      let total = 0;
      inputs.forEach(function (input) { total += parseInt(input.value, 10) || 0; });
      output.textContent = total;
    }
    inputs.forEach(function (input) { input.addEventListener("input", sum); });
  });

  // Texts with a limit in 字 (data-max-chars): a live count, counted as the server's rule
  // counts (every character except whitespace and line breaks; code points, not UTF-16 units).
  form.querySelectorAll("textarea[data-max-chars]").forEach(function (textarea) {
    const limit = parseInt(textarea.dataset.maxChars, 10);
    const counter = document.createElement("div");
    counter.className = "form-text char-count";
    counter.id = textarea.id + "-count";
    counter.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("afterend", counter);
    const described = textarea.getAttribute("aria-describedby");
    textarea.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function count() {
      const chars = Array.from(textarea.value.replace(/\s/g, "")).length;
      counter.textContent = "已输入 " + chars + " / " + limit + " 字" + (chars > limit ? "，已超出 " + (chars - limit) + " 字" : "");
      counter.classList.toggle("text-danger", chars > limit);
      counter.classList.toggle("fw-bold", chars > limit);
    }
    textarea.addEventListener("input", count);
    count();
  });

  // Rows: clone the empty row instead of a round trip.
  form.querySelectorAll("[data-formset]").forEach(function (fieldset) {
    const prefix = fieldset.dataset.formset;
    const total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    const body = fieldset.querySelector("[data-formset-body]");
    const template = fieldset.querySelector("template[data-empty-row]");
    const button = fieldset.querySelector("[data-add-row]");
    if (!total || !body || !template || !button) return;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      const index = parseInt(total.value, 10);
      const rowName = "第" + String(body.querySelectorAll(".formset-row").length + 1) + "行";
      const html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/新增行/g, rowName);
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const rows = body.querySelectorAll(".formset-row");
      rows[rows.length - 1].querySelector(".row-number").textContent = String(rows.length);
      const first = rows[rows.length - 1].querySelector("input, select, textarea");
      if (first) first.focus();
    });
  });

  // Autosave and live findings (steps without tables).
  if (!form.hasAttribute("data-autosave")) return;
  const status = document.querySelector("[data-autosave-status]");
  const findings = document.querySelector("[data-findings]");
  let timer = null;
  function save() {
    const body = new FormData(form);
    fetch(window.location.pathname, {
      method: "POST",
      body: body,
      headers: { "X-Autosave": "1" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (findings && answer.findings_html) findings.innerHTML = answer.findings_html;
        if (!status) return;
        if (answer.saved) {
          status.textContent = "已自动保存 " + answer.saved_at;
        } else {
          const first = Object.keys(answer.errors)[0];
          status.textContent = "有字段格式不正确，尚未保存" + (first ? "：" + answer.errors[first][0] : "");
        }
      })
      .catch(function () { if (status) status.textContent = "自动保存失败，请点击“保存”"; });
  }
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 600);
  });
})();
