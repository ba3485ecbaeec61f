/* Fields shown only for a chosen radio button (input[data-reveals="<id>"]): hidden while another radio
   of the group is chosen. Without JavaScript every such field shows. (govuk-frontend's own reveal puts
   aria-expanded on radios, which ARIA does not allow there.) */
(function () {
  "use strict";
  var revealing = Array.prototype.slice.call(document.querySelectorAll("input[type=radio][data-reveals]"));
  var groups = {};
  revealing.forEach(function (radio) {
    groups[radio.name] = true;
  });
  Object.keys(groups).forEach(function (name) {
    var radios = Array.prototype.slice.call(document.querySelectorAll("input[type=radio][name='" + name + "']"));
    var sync = function () {
      radios.forEach(function (radio) {
        var target = radio.getAttribute("data-reveals");
        var conditional = target && document.getElementById(target);
        if (conditional) {
          conditional.hidden = !radio.checked;
        }
      });
    };
    radios.forEach(function (radio) {
      radio.addEventListener("change", sync);
    });
    sync();
  });
})();
