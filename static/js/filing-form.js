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

  // Autosave and live findings, on every step, tables included. Nothing typed is lost
  // when the applicant follows a link: the page saves first, and asks before leaving
  // when what was typed cannot be saved.
  if (!form.hasAttribute("data-autosave")) return;
  const status = document.querySelector("[data-autosave-status]");
  const findings = document.querySelector("[data-findings]");
  let timer = null;
  let dirty = false;
  let pending = null;
  let submitting = false;

  function firstError(errors) {
    const first = Object.keys(errors || {})[0];
    return first ? errors[first][0] : "";
  }

  function save(leaving) {
    clearTimeout(timer);
    dirty = false;
    const body = new FormData(form);
    pending = fetch(window.location.pathname, {
      method: "POST",
      body: body,
      headers: { "X-Autosave": "1" },
      credentials: "same-origin",
      // Only a save sent while the page closes must outlive it (and keepalive bodies are limited to 64 KB).
      keepalive: Boolean(leaving),
    })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (findings && answer.findings_html) findings.innerHTML = answer.findings_html;
        // Rows saved in the background keep their ids: the next save updates them.
        Object.keys(answer.rows || {}).forEach(function (name) {
          const input = form.querySelector("input[name='" + name + "']");
          if (input) input.value = answer.rows[name];
        });
        if (answer.saved) {
          if (status) status.textContent = "已自动保存 " + answer.saved_at;
        } else {
          dirty = true;
          if (status) status.textContent = "有内容格式不正确，尚未保存：" + firstError(answer.errors);
        }
        pending = null;
        return answer;
      })
      .catch(function () {
        dirty = true;
        pending = null;
        if (status) status.textContent = "自动保存失败，请点击“保存”";
        return { saved: false, errors: {} };
      });
    return pending;
  }

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(function () { save(false); }, 600);
  });
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (pending) {
      // A background save is on its way: let it give new rows their ids first,
      // so that the button's own save updates them instead of adding them twice.
      event.preventDefault();
      const submitter = event.submitter;
      pending.then(function () { form.requestSubmit(submitter); });
      return;
    }
    submitting = true;
  });

  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || link.target || link.hasAttribute("download")) return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    if (link.getAttribute("href").charAt(0) === "#") return;
    if (!dirty && !pending) return;
    event.preventDefault();
    (dirty ? save(false) : pending).then(function (answer) {
      if (answer && answer.saved === false) {
        const reason = firstError(answer.errors);
        if (!window.confirm("本页有内容未能保存" + (reason ? "（" + reason + "）" : "") + "。仍要离开本页吗？")) return;
      }
      dirty = false;
      window.location.href = link.href;
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (submitting || !dirty) return;
    save(true);
    event.preventDefault();
    event.returnValue = "";
  });
})();
