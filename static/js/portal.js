// Progressive enhancement only: every page works without JavaScript.

// Registration: the 临港新片区 question only for the districts it spans (the server checks it too).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-lingang-districts]");
  const district = document.getElementById("id_district");
  const question = document.getElementById("div_id_in_lingang");
  if (!form || !district || !question) return;
  const spans = form.dataset.lingangDistricts.split(",");
  const show = () => {
    const asked = spans.includes(district.value);
    question.hidden = !asked;
    if (!asked) question.querySelectorAll("input").forEach((input) => { input.checked = false; });
  };
  district.addEventListener("change", show);
  show();
});
