// Optional: count the time left down once a minute. The server enforces the limit either way.
(function () {
  var el = document.querySelector(".timer[data-deadline]");
  if (!el) return;
  var deadline = new Date(el.getAttribute("data-deadline"));
  function tick() {
    var left = Math.floor((deadline - new Date()) / 60000);
    el.textContent = left >= 0 ? "Còn khoảng " + (left + 1) + " phút." : "Đã hết thời gian làm bài.";
  }
  tick();
  setInterval(tick, 30000);
})();
