// Files handed to the browser and read from it: a FileExport (Base64 in the GraphQL answer)
// saved as a download, and a picked file read as Base64 for a SpreadsheetInput.

/** Saves a file the API returned as Base64 (e.g. exportScheme, exportTasks) as a download. */
export function saveBase64File(file: { filename: string; contentBase64: string; mimeType: string }): void {
  const bytes = Uint8Array.from(atob(file.contentBase64), (c) => c.charCodeAt(0))
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }))
  const link = document.createElement('a')
  link.href = url
  link.download = file.filename
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A picked file as the `{ filename, contentBase64 }` of a SpreadsheetInput. */
export function readAsBase64(file: File): Promise<{ filename: string; contentBase64: string }> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => {
      const text = String(reader.result)
      resolve({ filename: file.name, contentBase64: text.slice(text.indexOf(',') + 1) })
    }
    reader.onerror = () => reject(new Error('无法读取所选文件'))
    reader.readAsDataURL(file)
  })
}
