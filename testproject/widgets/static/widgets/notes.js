// The note form is hidden until the button reveals it: the page needs JavaScript.
document.getElementById("write-note").addEventListener("click", function () {
  var form = document.getElementById("note-form");
  form.hidden = false;
  this.hidden = true;
  form.querySelector("textarea").focus();
});
