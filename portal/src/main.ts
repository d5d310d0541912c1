import { createApp } from 'vue'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { onPasswordChangeRequired, onUnauthenticated } from './api/client'
import { router } from './router'
import { requirePasswordChange, signOut } from './stores/session'

// An expired or revoked token: drop it and go to the login page, back here after login.
onUnauthenticated(() => {
  signOut()
  const here = router.currentRoute.value
  if (here.name !== 'login') void router.replace({ name: 'login', query: { redirect: here.fullPath } })
})

// Any call refused with PASSWORD_CHANGE_REQUIRED: to 修改密码, where the route guard keeps them.
onPasswordChangeRequired(() => {
  requirePasswordChange()
  if (router.currentRoute.value.name !== 'change-password') void router.replace({ name: 'change-password' })
})

createApp(App).use(router).mount('#app')
