// Texts of uploads (the avatar form, the newsroom's image tool).
export const ru = {
  'media.upload.tooLarge': 'Файл больше {mb} МБ — уменьшите его и загрузите снова',
  'media.upload.notMultipart': 'Загрузите файл формой (multipart/form-data)',
  'media.upload.broken': 'Файл пришёл не целиком или форма повреждена — загрузите его снова',
  'media.upload.noFile': 'Выберите файл изображения',
} as const;

export const en: { [K in keyof typeof ru]: string } = {
  'media.upload.tooLarge': 'The file is over {mb} MB: make it smaller and upload it again',
  'media.upload.notMultipart': 'Upload the file with a form (multipart/form-data)',
  'media.upload.broken': 'The file did not arrive whole or the form is damaged: upload it again',
  'media.upload.noFile': 'Choose an image file',
};
