/* The consultation form, enhanced: the running timer as mm:ss, and choosing a service found by the
   inline catalog search (htmx fills #service-results). Without JavaScript the form still works: the
   server measures the duration and the specialist types the service code. */
(function () {
  "use strict";

  var timer = document.querySelector("[data-timer-start]");
  if (timer) {
    var start = Number(timer.getAttribute("data-timer-start"));
    var show = function () {
      var seconds = Math.max(0, Math.floor((Date.now() - start) / 1000));
      var minutes = Math.floor(seconds / 60);
      var rest = seconds % 60;
      timer.textContent = (minutes < 10 ? "0" : "") + minutes + ":" + (rest < 10 ? "0" : "") + rest;
    };
    show();
    window.setInterval(show, 1000);
  }

  var results = document.getElementById("service-results");
  var input = document.getElementById("id_service");
  var chosen = document.getElementById("service-chosen");
  if (!results || !input || !chosen) {
    return;
  }
  input.addEventListener("input", function () {
    chosen.textContent = "";
  });
  results.addEventListener("click", function (event) {
    var button = event.target.closest("[data-service-code]");
    if (!button) {
      return;
    }
    input.value = button.getAttribute("data-service-code");
    chosen.textContent = button.textContent;
    results.innerHTML = "";
    var next = document.getElementById("id_topic");
    (next || input).focus();
  });
})();
