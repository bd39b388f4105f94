// The import page: the format follows the chosen file's extension (.xlsx, .csv), so that the
// secretariat does not have to pick it from a list after choosing the file.
document.addEventListener("DOMContentLoaded", () => {
  const file = document.getElementById("id_import_file");
  const format = document.getElementById("id_format");
  if (!file || !format) return;
  file.addEventListener("change", () => {
    const name = file.files.length ? file.files[0].name.toLowerCase() : "";
    const extension = name.includes(".") ? name.split(".").pop() : "";
    const option = Array.from(format.options).find(
      (choice) => choice.textContent.trim().toLowerCase() === extension,
    );
    if (option) format.value = option.value;
  });
});
