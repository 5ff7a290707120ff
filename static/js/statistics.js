// Draws the dashboard's charts (ECharts) from the data the page carries; every chart has its table beside it.
(function () {
  "use strict";
  var source = document.getElementById("stats-charts");
  if (!source || !window.echarts) {
    return;
  }
  var charts = JSON.parse(source.textContent);
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var spec = charts[element.getAttribute("data-chart")];
    if (!spec) {
      return;
    }
    // Many bars lie down, their labels one per line; a time series (line) always runs left to right,
    // its month labels thinned by ECharts where they would overlap.
    var line = spec.type === "line";
    var horizontal = !line && spec.categories.length > 8;
    var category = { type: "category", data: spec.categories, axisLabel: { interval: line ? "auto" : 0 } };
    var value = { type: "value", minInterval: 1 };
    var option = {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign({}, category, { inverse: true }) : value,
      series: spec.series.map(function (series) {
        return {
          name: series.name,
          type: spec.type === "line" ? "line" : "bar",
          stack: spec.type === "stack" ? "total" : undefined,
          data: series.data,
        };
      }),
    };
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    window.addEventListener("resize", function () {
      chart.resize();
    });
  });
})();
