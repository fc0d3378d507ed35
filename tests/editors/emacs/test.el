;;; test.el --- the README's eglot snippet against factlens, headless  -*- lexical-binding: t -*-
;; Run by tests/editors/emacs/run.sh: emacs --batch -l test.el
;; Env: FACTLENS_WS (throwaway fixture copy); `factlens' on PATH.
;; Prints one JSON object; exit code 0 when every check passed.

(require 'eglot)
(require 'flymake)
(require 'json)

(defvar factlens-checks nil)
(defvar factlens-ok t)
(defun factlens-check (name ok &optional detail)
  (push `((name . ,name) (status . ,(if ok "pass" "FAIL")) (detail . ,(format "%S" detail))) factlens-checks)
  (unless ok (setq factlens-ok nil))
  (message "%s %s%s" (if ok "ok  " "FAIL") name (if ok "" (format " -- %S" detail))))

(defun factlens-wait (pred secs)
  (let ((deadline (+ (float-time) secs)) (r nil))
    (while (and (not (setq r (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    r))

;; Emacs 28 has no markdown-mode: read .md as text for the test.
(add-to-list 'auto-mode-alist '("\\.md\\'" . text-mode))

;; --- the snippet from editors/README.md ---
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((markdown-mode text-mode) . ("factlens" "lsp"))))
(add-hook 'markdown-mode-hook #'eglot-ensure)
(add-hook 'text-mode-hook #'eglot-ensure)
;; ---

(defun factlens-diags ()
  (mapcar (lambda (d)
            (list (buffer-substring-no-properties (flymake-diagnostic-beg d) (flymake-diagnostic-end d))
                  (flymake-diagnostic-text d)))
          (flymake-diagnostics)))

(defun factlens-run-file (file figure)
  (find-file (expand-file-name file (getenv "FACTLENS_WS")))
  (run-hooks 'post-command-hook)          ; eglot-ensure connects after a command
  (factlens-check (format "%s: eglot connected" file)
                  (factlens-wait (lambda () (eglot-current-server)) 20))
  (when (eglot-current-server)
    (flymake-start)
    (factlens-check (format "%s: flymake shows the unsourced figure %s exactly" file figure)
                    (factlens-wait (lambda ()
                                     (flymake-start)
                                     (assoc figure (factlens-diags)))
                                   20)
                    (factlens-diags))))

(condition-case err
    (progn
      (factlens-run-file "housing-draft.md" "$3.5 million")
      (factlens-run-file "housing-wire.txt" "600 workers"))
  (error (factlens-check "test ran without error" nil err)))

(princ (concat (json-encode `((editor . ,(format "emacs %s + eglot" emacs-version))
                              (ok . ,(if factlens-ok t :json-false))
                              (checks . ,(vconcat (reverse factlens-checks)))))
               "\n"))
(ignore-errors (eglot-shutdown (eglot-current-server)))
(kill-emacs (if factlens-ok 0 1))
